#!/usr/bin/env bash
# scripts/setup.sh - make a Debian 12 machine ready to build owgc, then
# configure the source tree.
#
#   scripts/setup.sh [CONFIGURE-ARGS...]      e.g. scripts/setup.sh --enable-werror
#
# Idempotent: installs (apt-get) only the packages that are missing, runs
# autoreconf only when configure is missing or older than its inputs, and
# runs ./configure with the arguments given.  Runs apt-get as root, or
# through sudo.  OWG_SKIP_INSTALL=1 skips the package step,
# OWG_SKIP_CONFIGURE=1 stops before ./configure.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
	build-essential autoconf automake libtool pkgconf
	flex bison check
	llvm-14-tools llvm-14-dev clang-14 libclang-rt-14-dev
	zlib1g-dev time hyperfine python3 valgrind
)

installed() {
	dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

if [ "${OWG_SKIP_INSTALL:-0}" != 1 ]; then
	missing=()
	for p in "${PACKAGES[@]}"; do
		installed "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "setup: installing ${missing[*]}"
		if [ "$(id -u)" -eq 0 ]; then
			SUDO=()
		elif command -v sudo >/dev/null 2>&1; then
			SUDO=(sudo)
		else
			echo "setup: need root or sudo to install: ${missing[*]}" >&2
			exit 1
		fi
		export DEBIAN_FRONTEND=noninteractive
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends "${missing[@]}"
	else
		echo "setup: all build dependencies are installed"
	fi
fi

# Regenerate the build system when it is missing or stale.
stale=0
for f in configure Makefile.in config.h.in build-aux/test-driver; do
	[ -e "$f" ] || stale=1
done
for f in configure.ac Makefile.am; do
	if [ "$f" -nt configure ] || [ "$f" -nt Makefile.in ]; then
		stale=1
	fi
done
if [ $stale = 1 ]; then
	echo "setup: autoreconf -fi"
	./autogen.sh
fi

if [ "${OWG_SKIP_CONFIGURE:-0}" = 1 ]; then
	exit 0
fi
echo "setup: ./configure $*"
./configure "$@"
