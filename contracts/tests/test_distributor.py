"""The cumulative Merkle distributor on a real EVM (titanoboa on py-evm).

Two sources of roots and proofs:
- always: the trees in Tests/RewardsTests/Vectors/merkle.json, made by the independent Python
  implementation of OpenZeppelin's rule (scripts/merkle-vectors.py);
- when DEPIN_SETTLEMENT is set: a file the Swift integration tests write from a live node, with
  the roots it computed and the proofs it served for consecutive epochs.
"""
import json
import os
from pathlib import Path

import boa
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def deploy():
    token = boa.load(str(HERE.parent / "DepinToken.vy"), "depin reward", "DPN", 6)
    distributor = boa.load(str(HERE.parent / "MerkleDistributor.vy"), token.address)
    token.set_minter(distributor.address)
    return token, distributor


def b32(hex_string):
    return bytes.fromhex(hex_string[2:] if hex_string.startswith("0x") else hex_string)


def vector_trees():
    return json.loads((ROOT / "Tests/RewardsTests/Vectors/merkle.json").read_text())


def test_claims_with_independent_vectors_pay_once():
    token, distributor = deploy()
    tree = next(t for t in vector_trees() if len(t["leaves"]) >= 5)
    distributor.post_root(1, b32(tree["root"]))
    for leaf in tree["leaves"]:
        amount = int(leaf["amount"])
        proof = [b32(p) for p in leaf["proof"]]
        assert distributor.verify(leaf["address"], amount, proof)
        assert distributor.claim(leaf["address"], amount, proof) == amount
        assert token.balanceOf(leaf["address"]) == amount
        # A second claim of the same cumulative amount pays nothing.
        assert distributor.claim(leaf["address"], amount, proof) == 0
        assert token.balanceOf(leaf["address"]) == amount


def test_a_tampered_amount_or_proof_fails():
    _, distributor = deploy()
    tree = next(t for t in vector_trees() if len(t["leaves"]) >= 3)
    distributor.post_root(1, b32(tree["root"]))
    leaf = tree["leaves"][0]
    proof = [b32(p) for p in leaf["proof"]]
    with boa.reverts("invalid proof"):
        distributor.claim(leaf["address"], int(leaf["amount"]) + 1, proof)
    bad = list(proof)
    bad[0] = bytes([bad[0][0] ^ 1]) + bad[0][1:]
    with boa.reverts("invalid proof"):
        distributor.claim(leaf["address"], int(leaf["amount"]), bad)


def test_only_the_owner_posts_roots_and_epochs_move_forward():
    _, distributor = deploy()
    distributor.post_root(5, b"\x01" * 32)
    with boa.reverts("epochs only move forward"):
        distributor.post_root(5, b"\x02" * 32)
    with boa.env.prank(boa.env.generate_address()):
        with boa.reverts("only the owner"):
            distributor.post_root(6, b"\x02" * 32)


@pytest.mark.skipif("DEPIN_SETTLEMENT" not in os.environ, reason="needs a settlement file from a live node")
def test_the_nodes_roots_and_proofs_settle_cumulatively():
    settlement = json.loads(Path(os.environ["DEPIN_SETTLEMENT"]).read_text())
    epochs = settlement["epochs"]
    assert len(epochs) >= 2, "the node settled fewer than two epochs"
    token, distributor = deploy()
    paid = {}
    for epoch in epochs:
        distributor.post_root(epoch["epoch"], b32(epoch["root"]))
        for claim in epoch["claims"]:
            account = claim["address"]
            cumulative = int(claim["cumulative"])
            proof = [b32(p) for p in claim["proof"]]
            before = token.balanceOf(account)
            got = distributor.claim(account, cumulative, proof)
            # A later epoch's cumulative claim pays only the difference.
            assert got == cumulative - paid.get(account, 0)
            assert token.balanceOf(account) == before + got
            paid[account] = cumulative
            assert distributor.claim(account, cumulative, proof) == 0
            with boa.reverts("invalid proof"):
                distributor.claim(account, cumulative + 1, proof)
    assert token.totalSupply() == sum(paid.values())
