# pragma version ~=0.4.3
"""
@title depin cumulative Merkle distributor
@notice The owner (the network's settlement operator) posts each closed epoch's root. A payout
        address claims its cumulative total with a proof and receives the cumulative total less
        what it already claimed. Leaves and proofs follow OpenZeppelin's StandardMerkleTree for
        (address, uint256): leaf = keccak256(keccak256(abi.encode(account, cumulative))), pairs
        hashed sorted. docs/settlement.md describes it.
"""

interface Mintable:
    def mint(receiver: address, amount: uint256): nonpayable

event RootPosted:
    epoch: indexed(uint256)
    root: bytes32

event Claimed:
    account: indexed(address)
    cumulative: uint256
    paid: uint256

MAX_PROOF: constant(uint256) = 64

owner: public(address)
token: public(Mintable)
root: public(bytes32)
epoch: public(uint256)
has_root: public(bool)
claimed: public(HashMap[address, uint256])


@deploy
def __init__(token: address):
    self.owner = msg.sender
    self.token = Mintable(token)


@external
def post_root(epoch: uint256, root: bytes32):
    assert msg.sender == self.owner, "only the owner"
    assert not self.has_root or epoch > self.epoch, "epochs only move forward"
    self.epoch = epoch
    self.root = root
    self.has_root = True
    log RootPosted(epoch=epoch, root=root)


@internal
@pure
def _hash_pair(a: bytes32, b: bytes32) -> bytes32:
    if convert(a, uint256) < convert(b, uint256):
        return keccak256(concat(a, b))
    return keccak256(concat(b, a))


@external
@view
def verify(account: address, cumulative: uint256, proof: DynArray[bytes32, MAX_PROOF]) -> bool:
    return self._verify(account, cumulative, proof)


@internal
@view
def _verify(account: address, cumulative: uint256, proof: DynArray[bytes32, MAX_PROOF]) -> bool:
    node: bytes32 = keccak256(keccak256(abi_encode(account, cumulative)))
    for sibling: bytes32 in proof:
        node = self._hash_pair(node, sibling)
    return node == self.root


@external
def claim(account: address, cumulative: uint256, proof: DynArray[bytes32, MAX_PROOF]) -> uint256:
    """
    @notice Pays `account` its cumulative total less what it already claimed; anyone may submit.
    @return What was paid now (0 when everything was already claimed).
    """
    assert self.has_root, "no root posted"
    assert self._verify(account, cumulative, proof), "invalid proof"
    already: uint256 = self.claimed[account]
    if cumulative <= already:
        return 0
    owed: uint256 = cumulative - already
    self.claimed[account] = cumulative
    extcall self.token.mint(account, owed)
    log Claimed(account=account, cumulative=cumulative, paid=owed)
    return owed
