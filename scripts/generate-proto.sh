#!/usr/bin/env bash
# Regenerates Sources/Core/Wire/depin.pb.swift from proto/depin.proto.
# The generated file is committed: generating it on every build costs minutes on a small machine.
# Needs protoc (Debian: protobuf-compiler); builds protoc-gen-swift from the swift-protobuf dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { apt-get update -qq && apt-get install -y -qq protobuf-compiler; }
swift build --product protoc-gen-swift >/dev/null
protoc --plugin=protoc-gen-swift=.build/debug/protoc-gen-swift \
    --swift_out=Sources/Core/Wire --swift_opt=Visibility=Public \
    -I proto proto/depin.proto
echo "wrote Sources/Core/Wire/depin.pb.swift"
