#!/usr/bin/env python3
"""Times pycryptodome's Keccak-256 (Ethereum's padding) on the Merkle tree's work, 64 bytes in and
32 out, each digest feeding the next input, and prints JSON: the seconds for COUNT hashes (the
fastest of three rounds) and the last digest, which the Swift side must match.

The loop runs in C (scripts/bench-keccak.c, compiled here with the system's `cc`) and calls the
functions pycryptodome ships in its own shared object, so the figure is that C code's speed.

    python3 scripts/bench-keccak.py COUNT
"""
import ctypes
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import Crypto
import Crypto.Hash

count = int(sys.argv[1])
shared = next(Path(Crypto.Hash.__file__).parent.glob("_keccak*.so"))
with tempfile.TemporaryDirectory() as folder:
    harness_path = Path(folder) / "bench-keccak.so"
    source = Path(__file__).resolve().parent / "bench-keccak.c"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(harness_path), str(source)], check=True)
    harness = ctypes.CDLL(str(harness_path))
    harness.bench_keccak_chain.restype = ctypes.c_double
    harness.bench_keccak_chain.argtypes = [ctypes.c_void_p] * 5 + [ctypes.c_long, ctypes.c_char_p]
    library = ctypes.CDLL(str(shared))
    functions = [ctypes.cast(getattr(library, name), ctypes.c_void_p)
                 for name in ("keccak_init", "keccak_reset", "keccak_absorb", "keccak_digest", "keccak_destroy")]
    best = None
    digest = None
    for _ in range(3):
        io = ctypes.create_string_buffer(bytes(range(64)), 64)
        seconds = harness.bench_keccak_chain(*functions, count, io)
        best = seconds if best is None else min(best, seconds)
        digest = io.raw[:32].hex()

print(json.dumps({"count": count, "seconds": best, "digest": digest, "pycryptodome": Crypto.__version__}))
