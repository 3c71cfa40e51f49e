#!/usr/bin/env python3
"""Writes Tests/RewardsTests/Vectors/merkle.json: OpenZeppelin StandardMerkleTree roots and proofs
for (address, uint256) leaves, from an implementation of the published rule that shares no code
with the Swift one, on PyPI's eth-abi and eth-hash.

    pip install eth-abi "eth-hash[pycryptodome]"
    python3 scripts/merkle-vectors.py

The rule (OpenZeppelin merkle-tree README, "Standard Merkle Trees"): leaf =
keccak256(keccak256(abi.encode(types, values))); leaves sorted by hash; tree stored as an array
with leaves at the end in reverse order; node i = keccak256(sorted(node 2i+1, node 2i+2)).
"""
import json
import random
from pathlib import Path

from eth_abi import encode
from eth_hash.auto import keccak


def leaf_hash(address, amount):
    return keccak(keccak(encode(["address", "uint256"], [address, amount])))


def hash_pair(a, b):
    return keccak(min(a, b) + max(a, b))


def build(leaves):
    hashes = sorted(leaf_hash(a, v) for a, v in leaves)
    tree = [b""] * (2 * len(hashes) - 1)
    for i, h in enumerate(hashes):
        tree[len(tree) - 1 - i] = h
    for i in range(len(tree) - 1 - len(hashes), -1, -1):
        tree[i] = hash_pair(tree[2 * i + 1], tree[2 * i + 2])
    return tree


def proof(tree, leaf):
    index = tree.index(leaf)
    path = []
    while index > 0:
        sibling = index + 1 if index % 2 == 1 else index - 1
        path.append(tree[sibling])
        index = (index - 1) // 2
    return path


rng = random.Random(20261125)
cases = []
for size in [1, 2, 3, 4, 5, 7, 8, 13, 33]:
    leaves = []
    for _ in range(size):
        address = "0x" + bytes(rng.getrandbits(8) for _ in range(20)).hex()
        amount = rng.choice([0, 1, rng.getrandbits(32), rng.getrandbits(64), rng.getrandbits(127)])
        leaves.append((address, amount))
    tree = build(leaves)
    cases.append({
        "root": "0x" + tree[0].hex(),
        "leaves": [
            {
                "address": a,
                "amount": str(v),
                "hash": "0x" + leaf_hash(a, v).hex(),
                "proof": ["0x" + p.hex() for p in proof(tree, leaf_hash(a, v))],
            }
            for a, v in leaves
        ],
    })

out = Path(__file__).resolve().parent.parent / "Tests/RewardsTests/Vectors/merkle.json"
out.write_text(json.dumps(cases, indent=1) + "\n")
print(f"wrote {out} ({len(cases)} trees)")
