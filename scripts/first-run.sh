#!/usr/bin/env bash
# scripts/first-run.sh - from a fresh checkout to a first compiled workflow:
# install what is missing, build, and show the IR, the summary and the
# analysis report of the face-recognition example, then compile it for the
# default fabric and run every scheduling policy on it (owgrun --compare),
# on the example's non-stationary request stream.  Arguments go to
# ./configure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh "$@"
make -j2
./owgc --emit=ir examples/face_recognition.owg
./owgc --emit=none --summary examples/face_recognition.owg
./owgc --report examples/face_recognition.owg
./owgc examples/face_recognition.owg -o face_recognition.owgp
./owgrun --compare --requests=2000 --phases=examples/phases/face_recognition.phases face_recognition.owgp
