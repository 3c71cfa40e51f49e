#!/usr/bin/env bash
# The whole test suite: set-up, a build with warnings as errors, then every test target
# (unit tests through the router, and integration tests that run the real binary).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "test: building (warnings are errors)"
DEPIN_WARNINGS_AS_ERRORS=1 swift build --build-tests
echo "test: the settlement contract on a real EVM (titanoboa)"
python3 -m pytest -q contracts/tests
echo "test: running the Swift suite"
DEPIN_WARNINGS_AS_ERRORS=1 DEPIN_BIN="$(swift build --show-bin-path)/depin" swift test --skip-build
