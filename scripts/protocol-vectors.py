#!/usr/bin/env python3
"""Prints the test vectors of docs/protocol.md from an implementation independent of the Swift
code: a hand-written Protocol Buffers encoder and the `cryptography` package's Ed25519.
Run: python3 scripts/protocol-vectors.py  (needs: pip install cryptography)."""
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire, payload):
    tag = varint((number << 3) | wire)
    if wire == 0:
        return tag + varint(payload)
    return tag + varint(len(payload)) + payload


def polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def address(public):
    data = [0] + list(public)
    acc, bits, values = 0, 0, []
    for b in data:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            values.append((acc >> bits) & 31)
    if bits:
        values.append((acc << (5 - bits)) & 31)
    hrp = "depin"
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    mod = polymod(expanded + values + [0] * 6) ^ 0x2BC830A3
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[v] for v in values + checksum)


seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
key = Ed25519PrivateKey.from_private_bytes(seed)
public = key.public_key().public_bytes_raw()
recipient = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")

heartbeat = field(1, 0, 3600) + field(2, 2, b"depin-agent/0.1.0")
report = field(1, 2, public) + field(2, 0, 1) + field(3, 0, 1767225600000) + field(10, 2, heartbeat)
report_signature = key.sign(report)

transfer = field(1, 2, address(recipient).encode()) + field(2, 2, b"1500000")
transaction = field(1, 2, public) + field(2, 0, 1) + field(3, 0, 1767225600000) + field(10, 2, transfer)
transaction_signature = key.sign(transaction)

print(f"- `seed`: `{seed.hex()}`")
print(f"- `public_key`: `{public.hex()}`")
print(f"- `address`: `{address(public)}`")
print(f"- `recipient_address`: `{address(recipient)}`")
print(f"- `report_signing_bytes`: `{report.hex()}`")
print(f"- `report_signature`: `{report_signature.hex()}`")
print(f"- `report_signed_bytes`: `{(report + field(15, 2, report_signature)).hex()}`")
print(f"- `transfer_signing_bytes`: `{transaction.hex()}`")
print(f"- `transfer_signature`: `{transaction_signature.hex()}`")
print(f"- `transfer_signed_bytes`: `{(transaction + field(14, 2, transaction_signature)).hex()}`")
