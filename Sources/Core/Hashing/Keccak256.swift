import Foundation

/// Keccak-256 as Ethereum uses it (the original Keccak padding, 0x01, not SHA-3's 0x06):
/// the hash the EVM settlement contract computes, so manifests must match it bit for bit.
///
/// The permutation keeps the 25 lanes in locals and spells out each round's steps (θ, ρ and π
/// together, χ, ι), so that nothing is allocated and the lanes stay in registers: a Merkle tree
/// of a million payees is three million hashes (`depin bench merkle`).
public enum Keccak256 {
    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]
    /// Bytes absorbed per permutation: 200 less twice the digest's 32.
    static let rate = 136

    /// The 32-byte digest of `data`.
    public static func hash(_ data: Data) -> Data {
        data.withUnsafeBytes { hash($0) }
    }

    /// The 32-byte digest of `first` followed by `second`, without joining them first (a Merkle
    /// node is the hash of its two children).
    public static func hash(_ first: Data, _ second: Data) -> Data {
        guard first.count + second.count < rate else { return hash(first + second) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: rate) { block in
            let joined = UnsafeMutableRawBufferPointer(block)
            first.withUnsafeBytes { joined.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            second.withUnsafeBytes {
                (joined.baseAddress! + first.count).copyMemory(from: $0.baseAddress!, byteCount: $0.count)
            }
            return hash(UnsafeRawBufferPointer(rebasing: joined[0..<(first.count + second.count)]))
        }
    }

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Data {
        var state = State()
        var offset = 0
        while bytes.count - offset >= rate {
            state.absorb(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + rate)]))
            state.permute()
            offset += rate
        }
        // The last, partial block with the padding: 0x01 after the message, 0x80 in the block's last byte.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: rate) { buffer in
            let block = UnsafeMutableRawBufferPointer(buffer)
            block.initializeMemory(as: UInt8.self, repeating: 0)
            let tail = bytes.count - offset
            if tail > 0 { block.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: tail) }
            block[tail] = 0x01
            block[rate - 1] |= 0x80
            state.absorb(UnsafeRawBufferPointer(block))
        }
        state.permute()
        var digest = (state.a0.littleEndian, state.a1.littleEndian, state.a2.littleEndian, state.a3.littleEndian)
        return withUnsafeBytes(of: &digest) { Data($0) }
    }

    /// The digest of a message of at most 16 big-endian 64-bit words (128 bytes): the fixed-size
    /// inputs of a Merkle tree, two child digests or an ABI-encoded leaf, hashed without a byte
    /// buffer. Word j of the message is lane j of the single block, byte-swapped.
    public static func hash(words: UnsafeBufferPointer<UInt64>) -> Digest256 {
        precondition(words.count <= 16, "one block holds at most 16 words")
        var lanes = State()
        withUnsafeMutableBytes(of: &lanes) { raw in
            for (index, word) in words.enumerated() { raw.storeBytes(of: word.byteSwapped, toByteOffset: index * 8, as: UInt64.self) }
            func flip(_ lane: Int, _ bits: UInt64) {
                let value = raw.load(fromByteOffset: lane * 8, as: UInt64.self)
                raw.storeBytes(of: value ^ bits, toByteOffset: lane * 8, as: UInt64.self)
            }
            flip(words.count, 0x01)
            flip(rate / 8 - 1, 0x80 << 56)
        }
        lanes.permute()
        return Digest256(lanes.a0.byteSwapped, lanes.a1.byteSwapped, lanes.a2.byteSwapped, lanes.a3.byteSwapped)
    }

    /// The digest of two digests, one after the other (a Merkle node of its children).
    public static func hash(_ first: Digest256, _ second: Digest256) -> Digest256 {
        var words = (first.w0, first.w1, first.w2, first.w3, second.w0, second.w1, second.w2, second.w3)
        return withUnsafeBytes(of: &words) { hash(words: $0.assumingMemoryBound(to: UInt64.self)) }
    }

    /// The permutation's 1600 bits as 25 lanes, lane x + 5y at `a(x+5y)`.
    struct State {
        var a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0, a4: UInt64 = 0
        var a5: UInt64 = 0, a6: UInt64 = 0, a7: UInt64 = 0, a8: UInt64 = 0, a9: UInt64 = 0
        var a10: UInt64 = 0, a11: UInt64 = 0, a12: UInt64 = 0, a13: UInt64 = 0, a14: UInt64 = 0
        var a15: UInt64 = 0, a16: UInt64 = 0, a17: UInt64 = 0, a18: UInt64 = 0, a19: UInt64 = 0
        var a20: UInt64 = 0, a21: UInt64 = 0, a22: UInt64 = 0, a23: UInt64 = 0, a24: UInt64 = 0

        /// XORs a block of `rate` bytes into the first 17 lanes, little-endian.
        @inline(__always)
        mutating func absorb(_ block: UnsafeRawBufferPointer) {
            func lane(_ index: Int) -> UInt64 {
                UInt64(littleEndian: block.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
            a0 ^= lane(0)
            a1 ^= lane(1)
            a2 ^= lane(2)
            a3 ^= lane(3)
            a4 ^= lane(4)
            a5 ^= lane(5)
            a6 ^= lane(6)
            a7 ^= lane(7)
            a8 ^= lane(8)
            a9 ^= lane(9)
            a10 ^= lane(10)
            a11 ^= lane(11)
            a12 ^= lane(12)
            a13 ^= lane(13)
            a14 ^= lane(14)
            a15 ^= lane(15)
            a16 ^= lane(16)
        }

        /// Keccak-f[1600]: 24 rounds.
        mutating func permute() {
            var (a0, a1, a2, a3, a4) = (self.a0, self.a1, self.a2, self.a3, self.a4)
            var (a5, a6, a7, a8, a9) = (self.a5, self.a6, self.a7, self.a8, self.a9)
            var (a10, a11, a12, a13, a14) = (self.a10, self.a11, self.a12, self.a13, self.a14)
            var (a15, a16, a17, a18, a19) = (self.a15, self.a16, self.a17, self.a18, self.a19)
            var (a20, a21, a22, a23, a24) = (self.a20, self.a21, self.a22, self.a23, self.a24)
            for constant in Keccak256.roundConstants {
                let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
                let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
                let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
                let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
                let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
                let d0 = c4 ^ ((c1 &<< 1) | (c1 &>> 63))
                let d1 = c0 ^ ((c2 &<< 1) | (c2 &>> 63))
                let d2 = c1 ^ ((c3 &<< 1) | (c3 &>> 63))
                let d3 = c2 ^ ((c4 &<< 1) | (c4 &>> 63))
                let d4 = c3 ^ ((c0 &<< 1) | (c0 &>> 63))
                let b0 = (a0 ^ d0)
                let b16 = ((a5 ^ d0) &<< 36 | (a5 ^ d0) &>> 28)
                let b7 = ((a10 ^ d0) &<< 3 | (a10 ^ d0) &>> 61)
                let b23 = ((a15 ^ d0) &<< 41 | (a15 ^ d0) &>> 23)
                let b14 = ((a20 ^ d0) &<< 18 | (a20 ^ d0) &>> 46)
                let b10 = ((a1 ^ d1) &<< 1 | (a1 ^ d1) &>> 63)
                let b1 = ((a6 ^ d1) &<< 44 | (a6 ^ d1) &>> 20)
                let b17 = ((a11 ^ d1) &<< 10 | (a11 ^ d1) &>> 54)
                let b8 = ((a16 ^ d1) &<< 45 | (a16 ^ d1) &>> 19)
                let b24 = ((a21 ^ d1) &<< 2 | (a21 ^ d1) &>> 62)
                let b20 = ((a2 ^ d2) &<< 62 | (a2 ^ d2) &>> 2)
                let b11 = ((a7 ^ d2) &<< 6 | (a7 ^ d2) &>> 58)
                let b2 = ((a12 ^ d2) &<< 43 | (a12 ^ d2) &>> 21)
                let b18 = ((a17 ^ d2) &<< 15 | (a17 ^ d2) &>> 49)
                let b9 = ((a22 ^ d2) &<< 61 | (a22 ^ d2) &>> 3)
                let b5 = ((a3 ^ d3) &<< 28 | (a3 ^ d3) &>> 36)
                let b21 = ((a8 ^ d3) &<< 55 | (a8 ^ d3) &>> 9)
                let b12 = ((a13 ^ d3) &<< 25 | (a13 ^ d3) &>> 39)
                let b3 = ((a18 ^ d3) &<< 21 | (a18 ^ d3) &>> 43)
                let b19 = ((a23 ^ d3) &<< 56 | (a23 ^ d3) &>> 8)
                let b15 = ((a4 ^ d4) &<< 27 | (a4 ^ d4) &>> 37)
                let b6 = ((a9 ^ d4) &<< 20 | (a9 ^ d4) &>> 44)
                let b22 = ((a14 ^ d4) &<< 39 | (a14 ^ d4) &>> 25)
                let b13 = ((a19 ^ d4) &<< 8 | (a19 ^ d4) &>> 56)
                let b4 = ((a24 ^ d4) &<< 14 | (a24 ^ d4) &>> 50)
                a0 = b0 ^ (~b1 & b2)
                a1 = b1 ^ (~b2 & b3)
                a2 = b2 ^ (~b3 & b4)
                a3 = b3 ^ (~b4 & b0)
                a4 = b4 ^ (~b0 & b1)
                a5 = b5 ^ (~b6 & b7)
                a6 = b6 ^ (~b7 & b8)
                a7 = b7 ^ (~b8 & b9)
                a8 = b8 ^ (~b9 & b5)
                a9 = b9 ^ (~b5 & b6)
                a10 = b10 ^ (~b11 & b12)
                a11 = b11 ^ (~b12 & b13)
                a12 = b12 ^ (~b13 & b14)
                a13 = b13 ^ (~b14 & b10)
                a14 = b14 ^ (~b10 & b11)
                a15 = b15 ^ (~b16 & b17)
                a16 = b16 ^ (~b17 & b18)
                a17 = b17 ^ (~b18 & b19)
                a18 = b18 ^ (~b19 & b15)
                a19 = b19 ^ (~b15 & b16)
                a20 = b20 ^ (~b21 & b22)
                a21 = b21 ^ (~b22 & b23)
                a22 = b22 ^ (~b23 & b24)
                a23 = b23 ^ (~b24 & b20)
                a24 = b24 ^ (~b20 & b21)
                a0 ^= constant
            }
            (self.a0, self.a1, self.a2, self.a3, self.a4) = (a0, a1, a2, a3, a4)
            (self.a5, self.a6, self.a7, self.a8, self.a9) = (a5, a6, a7, a8, a9)
            (self.a10, self.a11, self.a12, self.a13, self.a14) = (a10, a11, a12, a13, a14)
            (self.a15, self.a16, self.a17, self.a18, self.a19) = (a15, a16, a17, a18, a19)
            (self.a20, self.a21, self.a22, self.a23, self.a24) = (a20, a21, a22, a23, a24)
        }
    }
}
