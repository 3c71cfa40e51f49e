#!/usr/bin/env bash
# Installs what building and testing depin needs, idempotently. Called by scripts/demo.sh and
# scripts/test.sh; safe to run again and again.
set -euo pipefail

need_apt=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_apt+=(libsqlite3-dev)
# A real browser for the explorer's tests: Debian's Chromium and its WebDriver.
dpkg -s chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s chromium-driver >/dev/null 2>&1 || need_apt+=(chromium-driver)
# zlib for decoding PNG frames; Blender renders the rendering network's frames (Cycles on CPU).
dpkg -s zlib1g-dev >/dev/null 2>&1 || need_apt+=(zlib1g-dev)
dpkg -s blender >/dev/null 2>&1 || need_apt+=(blender)
# ISA-L, the reference the erasure-code benchmark compares with (`depin bench erasure`).
dpkg -s libisal-dev >/dev/null 2>&1 || need_apt+=(libisal-dev)
# gpsd and gpsfake serve a recorded drive as a live GPS to the dashcam agent's test.
dpkg -s gpsd >/dev/null 2>&1 || need_apt+=(gpsd)
dpkg -s gpsd-clients >/dev/null 2>&1 || need_apt+=(gpsd-clients)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.1 or later is needed)" >&2; exit 1; }

# The settlement contract's compiler and a real EVM (titanoboa runs py-evm), from PyPI.
if ! python3 -c "import boa, vyper, pytest" >/dev/null 2>&1; then
    echo "setup: installing vyper, titanoboa and pytest from PyPI"
    python3 -m pip install -q "vyper==0.4.3" "titanoboa==0.2.8" pytest
fi

# zfec, the other reference of the erasure-code benchmark.
if ! python3 -c "import zfec" >/dev/null 2>&1; then
    echo "setup: installing zfec from PyPI"
    python3 -m pip install -q "zfec>=1.5"
fi

# pycryptodome's C Keccak is the Merkle benchmark's reference (scripts/bench-keccak.py).
if ! python3 -c "import Crypto.Hash.keccak" >/dev/null 2>&1; then
    echo "setup: installing pycryptodome from PyPI"
    python3 -m pip install -q "pycryptodome>=3.20"
fi

# The aws CLI and boto3 are the S3 clients the storage gateway's tests speak with.
if ! python3 -c "import boto3, awscli" >/dev/null 2>&1 || ! command -v aws >/dev/null; then
    echo "setup: installing awscli and boto3 from PyPI"
    python3 -m pip install -q "awscli>=1.40" "boto3>=1.40"
fi

# ELM327-emulator plays a car's OBD-II adapter on a TCP port for the vehicle tests.
if ! python3 -c "import elm" >/dev/null 2>&1; then
    echo "setup: installing ELM327-emulator from PyPI"
    python3 -m pip install -q "ELM327-emulator==4.0.0"
fi

# pymodbus serves the simulated energy meter (scripts/meter-simulator.py) on Modbus TCP.
if ! python3 -c "import pymodbus" >/dev/null 2>&1; then
    echo "setup: installing pymodbus from PyPI"
    python3 -m pip install -q "pymodbus==3.11.4"
fi

# schemathesis generates hostile requests from the node's OpenAPI document (APIFuzzTests).
if ! python3 -c "import schemathesis" >/dev/null 2>&1; then
    echo "setup: installing schemathesis from PyPI"
    python3 -m pip install -q "schemathesis==4.32.5"
fi

# Selenium drives Chromium in the explorer's browser test.
if ! python3 -c "import selenium" >/dev/null 2>&1; then
    echo "setup: installing selenium from PyPI"
    python3 -m pip install -q "selenium>=4.20"
fi
