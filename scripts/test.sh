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
echo "test: starting PostgreSQL on loopback (scripts/postgres.sh)"
DEPIN_TEST_POSTGRES_URL="$(scripts/postgres.sh)"
export DEPIN_TEST_POSTGRES_URL
echo "test: running the Swift suite"
# Real Blender renders and the S3 tests (the aws CLI moving 64 MiB through eight storage nodes)
# load both cores for a minute or more: they run on their own afterwards, so that the
# timing-sensitive integration tests (a node killed mid-epoch, an agent outliving its node) do
# not share the machine with them.
# Each phase is bounded (it takes 1 to 3 minutes here): a hung test fails the run with a message
# rather than holding CI until its own limit.
DEPIN_WARNINGS_AS_ERRORS=1 DEPIN_BIN="$(swift build --show-bin-path)/depin" timeout --kill-after=30 1500 swift test --skip-build --skip RenderNetworkTests --skip S3GatewayTests --skip BenchIngestTests --skip CrashHarnessTests --skip APIFuzzTests --skip SoakTests
echo "test: the node's tests again, on PostgreSQL; the ingest benchmark at a small size on both databases"
DEPIN_WARNINGS_AS_ERRORS=1 DEPIN_TEST_STORE=postgres DEPIN_BIN="$(swift build --show-bin-path)/depin" timeout --kill-after=30 900 swift test --skip-build --filter NodeTests --filter BenchIngestTests
echo "test: hardening: the node killed with SIGKILL 20 times under traffic, schemathesis against the API"
DEPIN_WARNINGS_AS_ERRORS=1 DEPIN_BIN="$(swift build --show-bin-path)/depin" timeout --kill-after=30 900 swift test --skip-build --filter CrashHarnessTests --filter APIFuzzTests
# The soak judges latency, so it runs alone: beside the two above, its first sample's p99 once
# reached 435 ms on two cores.
echo "test: hardening: a minute's soak, alone"
DEPIN_WARNINGS_AS_ERRORS=1 DEPIN_BIN="$(swift build --show-bin-path)/depin" timeout --kill-after=30 600 swift test --skip-build --filter SoakTests
echo "test: the storage network's S3 gateway with the aws CLI and boto3"
DEPIN_WARNINGS_AS_ERRORS=1 DEPIN_BIN="$(swift build --show-bin-path)/depin" timeout --kill-after=30 1500 swift test --skip-build --filter S3GatewayTests
echo "test: the rendering network with real Blender"
DEPIN_WARNINGS_AS_ERRORS=1 DEPIN_BIN="$(swift build --show-bin-path)/depin" timeout --kill-after=30 1500 swift test --skip-build --filter RenderNetworkTests
