import Core

/// A systematic Reed-Solomon code over GF(2⁸): a segment is cut into k data pieces and coded
/// into n pieces in all, any k of which rebuild it (Storj codes 29 of 80 or 110). Pieces 0..<k
/// are the segment itself; pieces k..<n are parity from a Cauchy matrix.
public struct ErasureCode: Sendable, Equatable {
    /// Pieces needed to rebuild a segment.
    public let k: Int
    /// Pieces made from a segment.
    public let n: Int
    let generator: GaloisMatrix

    /// A (k, n) code; 1 ≤ k ≤ n ≤ 256.
    public init(k: Int, n: Int) throws(ErasureError) {
        guard k >= 1, n >= k, n <= 256 else {
            throw ErasureError(.invalidParameters, "a code needs 1 ≤ k ≤ n ≤ 256, got k = \(k), n = \(n)")
        }
        self.k = k
        self.n = n
        generator = GaloisMatrix.systematicCauchy(k: k, n: n)
    }

    public static func == (lhs: ErasureCode, rhs: ErasureCode) -> Bool { lhs.k == rhs.k && lhs.n == rhs.n }

    /// The size of each piece of a segment of `length` bytes: the segment, zero-padded to a
    /// multiple of k, split k ways.
    public func pieceSize(forSegmentOf length: Int) -> Int { max((length + k - 1) / k, 1) }

    /// The n pieces of `segment`.
    public func encode(_ segment: [UInt8]) -> [[UInt8]] {
        let size = pieceSize(forSegmentOf: segment.count)
        var pieces = [UInt8](repeating: 0, count: n * size)
        pieces.replaceSubrange(0..<segment.count, with: segment)
        pieces.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress!
            encodeParity(
                data: (0..<k).map { UnsafeRawPointer(base + $0 * size) }, parity: (k..<n).map { base + $0 * size }, length: size)
        }
        return (0..<n).map { Array(pieces[($0 * size)..<(($0 + 1) * size)]) }
    }

    /// Writes the n − k parity pieces of the k data pieces at `data`, each `length` bytes: the
    /// coding itself, on caller-owned memory.
    public func encodeParity(data: [UnsafeRawPointer], parity: [UnsafeMutableRawPointer], length: Int) {
        encoder().rebuild(from: data, into: parity, length: length)
    }

    /// The segment of `length` bytes from any k or more of its pieces, keyed by piece number.
    /// Fewer than k, a piece number out of range or pieces of unequal size are errors.
    public func decode(_ pieces: [Int: [UInt8]], length: Int) throws(ErasureError) -> [UInt8] {
        let size = try check(pieces)
        guard length >= 0, length <= size * k else {
            throw ErasureError(.wrongLength, "a segment of \(length) bytes does not fit \(k) pieces of \(size) bytes")
        }
        let data = try reconstruct(Array(0..<k), from: pieces)
        var segment = [UInt8]()
        segment.reserveCapacity(size * k)
        for index in 0..<k { segment.append(contentsOf: data[index]!) }
        return Array(segment.prefix(length))
    }

    /// Pieces `wanted` (any piece numbers, data or parity) rebuilt from any k of `pieces`: what
    /// repair needs to replace lost pieces without keeping the whole segment.
    public func reconstruct(_ wanted: [Int], from pieces: [Int: [UInt8]]) throws(ErasureError) -> [Int: [UInt8]] {
        let size = try check(pieces)
        if let bad = wanted.first(where: { !(0..<n).contains($0) }) {
            throw ErasureError(.pieceOutOfRange, "piece \(bad) is not one of this code's \(n)")
        }
        var result: [Int: [UInt8]] = [:]
        var missing: [Int] = []
        for index in wanted {
            if let piece = pieces[index] { result[index] = piece } else { missing.append(index) }
        }
        guard !missing.isEmpty else { return result }
        let rebuilder = try rebuilder(for: missing, from: pieces.keys)
        var rebuilt = missing.map { _ in [UInt8](repeating: 0, count: size) }
        withReadPointers(rebuilder.sources.map { pieces[$0]! }) { sources in
            withWritePointers(&rebuilt) { targets in rebuilder.rebuild(from: sources, into: targets, length: size) }
        }
        for (index, piece) in zip(missing, rebuilt) { result[index] = piece }
        return result
    }

    /// The pieces' common size, after checking there are k of them, numbered in range.
    private func check(_ pieces: [Int: [UInt8]]) throws(ErasureError) -> Int {
        guard pieces.count >= k else {
            throw ErasureError(.notEnoughPieces, "\(pieces.count) pieces cannot rebuild a segment that needs \(k)")
        }
        if let bad = pieces.keys.first(where: { !(0..<n).contains($0) }) {
            throw ErasureError(.pieceOutOfRange, "piece \(bad) is not one of this code's \(n)")
        }
        let size = pieces.first!.value.count
        guard pieces.values.allSatisfy({ $0.count == size }) else {
            throw ErasureError(.unequalPieces, "the pieces differ in size")
        }
        return size
    }
}

/// Runs `body` with pointers to every array's bytes, valid for the call.
private func withReadPointers<R>(_ arrays: [[UInt8]], _ body: ([UnsafeRawPointer]) -> R) -> R {
    func nest(_ index: Int, _ collected: [UnsafeRawPointer]) -> R {
        if index == arrays.count { return body(collected) }
        return arrays[index].withUnsafeBytes { nest(index + 1, collected + [$0.baseAddress!]) }
    }
    return nest(0, [])
}

/// Runs `body` with pointers to every array's bytes, writable for the call.
private func withWritePointers<R>(_ arrays: inout [[UInt8]], _ body: ([UnsafeMutableRawPointer]) -> R) -> R {
    arrays.withUnsafeMutableBufferPointer { arrays in
        func nest(_ index: Int, _ collected: [UnsafeMutableRawPointer]) -> R {
            if index == arrays.count { return body(collected) }
            return arrays[index].withUnsafeMutableBytes { nest(index + 1, collected + [$0.baseAddress!]) }
        }
        return nest(0, [])
    }
}
