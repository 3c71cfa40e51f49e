#!/usr/bin/env bash
# Runs `depin demo`: a node on an embedded SQLite database with a simulated device of every kind.
# Extra arguments go to `depin demo` (see `depin demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product depin
exec "$(swift build --show-bin-path)/depin" demo "$@"
