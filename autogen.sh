#!/bin/sh
# autogen.sh - generate configure and Makefile.in from a git checkout
# (needs autoconf, automake, libtool, pkgconf; scripts/setup.sh installs them).
set -e
cd "$(dirname "$0")"
mkdir -p m4
exec autoreconf -fi "$@"
