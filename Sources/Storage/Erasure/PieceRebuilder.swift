import Core

/// Pieces of a code made from k others, with the work that depends only on which pieces done
/// once: the matrix inverted and the multiplier's tables built. Encoding is the parity pieces
/// made from the data pieces; decoding and repair are lost pieces made from any k survivors.
/// Apply it to as many segments as have the same pieces, on caller-owned memory.
public struct PieceRebuilder: Sendable {
    /// The k piece numbers read, in the order their bytes are passed.
    public let sources: [Int]
    /// The piece numbers written, in the order their memory is passed.
    public let targets: [Int]
    let multiplier: RegionMultiplier

    init(sources: [Int], targets: [Int], matrix: GaloisMatrix) {
        self.sources = sources
        self.targets = targets
        multiplier = RegionMultiplier(matrix)
    }

    /// Writes `length` bytes of every target piece from `length` bytes of every source piece.
    public func rebuild(from sources: [UnsafeRawPointer], into targets: [UnsafeMutableRawPointer], length: Int) {
        precondition(sources.count == self.sources.count && targets.count == self.targets.count)
        guard !targets.isEmpty else { return }
        multiplier.apply(inputs: sources, outputs: targets, length: length)
    }
}

extension ErasureCode {
    /// The parity pieces k..<n from the data pieces 0..<k.
    public func encoder() -> PieceRebuilder {
        PieceRebuilder(sources: Array(0..<k), targets: Array(k..<n), matrix: generator.selecting(rows: Array(k..<n)))
    }

    /// Pieces `wanted` from k of the pieces `available` (data pieces first: their rows are unit
    /// rows). Fewer than k available, or a piece number out of range, is an error.
    public func rebuilder(for wanted: [Int], from available: some Collection<Int>) throws(ErasureError) -> PieceRebuilder {
        guard available.count >= k else {
            throw ErasureError(.notEnoughPieces, "\(available.count) pieces cannot rebuild a segment that needs \(k)")
        }
        if let bad = (Array(wanted) + Array(available)).first(where: { !(0..<n).contains($0) }) {
            throw ErasureError(.pieceOutOfRange, "piece \(bad) is not one of this code's \(n)")
        }
        let chosen = Array(Set(available).sorted { ($0 < k ? 0 : 1, $0) < ($1 < k ? 0 : 1, $1) }.prefix(k))
        guard chosen.count == k else {
            throw ErasureError(.notEnoughPieces, "\(chosen.count) distinct pieces cannot rebuild a segment that needs \(k)")
        }
        guard let inverse = generator.selecting(rows: chosen).inverted() else {
            throw ErasureError(.singular, "pieces \(chosen) do not determine the segment")
        }
        // Piece w = G[w] · data = G[w] · G[chosen]⁻¹ · pieces[chosen].
        return PieceRebuilder(sources: chosen, targets: wanted, matrix: generator.selecting(rows: wanted).multiplied(by: inverse))
    }
}
