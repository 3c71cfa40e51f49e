import Core
import PropertyBased
import Storage
import Testing

/// The erasure code's promise, on random data: any k of the n pieces rebuild the segment, and
/// fewer than k is a clear error.
@Suite struct ErasureCodePropertyTests {
    /// Bytes from a seed (SplitMix64), so a failing case is reproducible from its inputs.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    /// k pieces of n picked by a seed.
    static func choose(_ k: Int, of n: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<n)
        var state = seed | 1
        for index in stride(from: n - 1, to: 0, by: -1) {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            order.swapAt(index, Int(state % UInt64(index + 1)))
        }
        return Array(order.prefix(k))
    }

    @Test func anyKPiecesRebuildTheSegment() async throws {
        await propertyCheck(
            count: 300, input: Gen.int(in: 0...3_000), Gen.int(in: 1...32), Gen.int(in: 0...48), Gen.uint64(in: 0...UInt64.max)
        ) { length, k, extra, seed in
            let code = try! ErasureCode(k: k, n: k + extra)
            let segment = Self.bytes(length, seed: seed)
            let pieces = code.encode(segment)
            #expect(pieces.count == code.n && pieces.allSatisfy { $0.count == code.pieceSize(forSegmentOf: length) })
            // The first k pieces are the data itself.
            #expect(Array(pieces.prefix(k).joined().prefix(length)) == segment)
            let chosen = Self.choose(k, of: code.n, seed: seed ^ 0xA5A5)
            let decoded = try? code.decode(Dictionary(uniqueKeysWithValues: chosen.map { ($0, pieces[$0]) }), length: length)
            #expect(decoded == segment, "k \(k) n \(code.n) length \(length) pieces \(chosen)")
            // Lost pieces are rebuilt exactly, from any k others.
            let lost = Array(Set(0..<code.n).subtracting(chosen)).sorted().prefix(3)
            let rebuilt = try? code.reconstruct(Array(lost), from: Dictionary(uniqueKeysWithValues: chosen.map { ($0, pieces[$0]) }))
            for index in lost { #expect(rebuilt?[index] == pieces[index]) }
        }
    }

    @Test func fewerThanKPiecesIsAClearError() throws {
        let code = try ErasureCode(k: 29, n: 80)
        let pieces = code.encode(Self.bytes(10_000, seed: 7))
        let some = Dictionary(uniqueKeysWithValues: (40..<68).map { ($0, pieces[$0]) })
        #expect(throws: ErasureError(.notEnoughPieces, "28 pieces cannot rebuild a segment that needs 29")) {
            try code.decode(some, length: 10_000)
        }
        var mixed = Dictionary(uniqueKeysWithValues: (0..<29).map { ($0, pieces[$0]) })
        mixed[3] = Array(pieces[3].dropLast())
        #expect(throws: ErasureError.self) { try code.decode(mixed, length: 10_000) }
        mixed[3] = pieces[3]
        mixed[80] = pieces[0]
        #expect(throws: ErasureError(.pieceOutOfRange, "piece 80 is not one of this code's 80")) { try code.decode(mixed, length: 10_000) }
        #expect(throws: ErasureError.self) { try ErasureCode(k: 0, n: 4) }
        #expect(throws: ErasureError.self) { try ErasureCode(k: 5, n: 4) }
        #expect(throws: ErasureError.self) { try ErasureCode(k: 4, n: 257) }
    }

    /// The largest code the field allows, and the parity of a known case worked by hand: with
    /// k = 1 every parity piece is the data times 1/(x ⊕ 0) = 1/x.
    @Test func edgeCodesWork() throws {
        let wide = try ErasureCode(k: 100, n: 256)
        let segment = Self.bytes(100 * 70 + 3, seed: 11)
        let pieces = wide.encode(segment)
        let parityOnly = Dictionary(uniqueKeysWithValues: (156..<256).map { ($0, pieces[$0]) })
        #expect(try wide.decode(parityOnly, length: segment.count) == segment)
        let single = try ErasureCode(k: 1, n: 3)
        let coded = single.encode([1, 2, 3])
        // 1/1 = 1 and 1/2 = 0x8E in this field: piece 1 is the data, piece 2 the data times 0x8E.
        #expect(coded[1] == [1, 2, 3])
        #expect(coded[2] == [0x8E, 0x01, 0x8F])
    }
}
