#!/usr/bin/env python3
"""The zfec reference for `depin bench erasure`: Reed-Solomon encode and decode throughput of
zfec (PyPI) on one core, for the same code and piece size.

    python3 zfec-erasure.py K N PIECE_BYTES ROUNDS

Prints one JSON line: {"encode_mb_s": ..., "decode_mb_s": ...}, megabytes of data (k pieces) per
second. Decoding rebuilds the first min(n - k, k) data pieces from the pieces left, the worst
case; the result is checked against the originals.
"""
import json
import random
import sys
import time

import zfec

k, n, length, rounds = (int(value) for value in sys.argv[1:5])
generator = random.Random(7)
data = tuple(generator.randbytes(length) for _ in range(k))
encoder = zfec.Encoder(k, n)
wanted = tuple(range(k, n))
parity = encoder.encode(data, wanted)
began = time.perf_counter()
for _ in range(rounds):
    parity = encoder.encode(data, wanted)
encode = time.perf_counter() - began

lost = min(n - k, k)
pieces = list(data) + list(parity)
numbers = tuple(range(lost, lost + k))
blocks = tuple(pieces[number] for number in numbers)
decoder = zfec.Decoder(k, n)
decoded = decoder.decode(blocks, numbers)
began = time.perf_counter()
for _ in range(rounds):
    decoded = decoder.decode(blocks, numbers)
decode = time.perf_counter() - began
assert list(decoded) == list(data), "zfec rebuilt the data wrong"
megabytes = k * length * rounds / 1e6
print(json.dumps({"encode_mb_s": round(megabytes / encode, 1), "decode_mb_s": round(megabytes / decode, 1)}))
