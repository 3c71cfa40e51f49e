#!/usr/bin/env python3
"""Prints Keccak-256 (Ethereum's padding) vectors for Tests/CoreTests/HashVectorTests.swift from
pycryptodome's implementation (pip install pycryptodome)."""
from Crypto.Hash import keccak

for message in [b"", b"abc", b"a" * 135, b"a" * 136, b"a" * 137, bytes(range(256)) * 3]:
    digest = keccak.new(digest_bits=256)
    digest.update(message)
    print(len(message), digest.hexdigest())
