import Testing

@testable import Storage

/// The region multiplier against the field's own arithmetic, byte by byte, on lengths that end
/// inside a block.
@Suite struct RegionMultiplierTests {
    @Test(arguments: [(3, 5), (9, 17), (20, 4), (1, 1)])
    func itMultipliesLikeTheField(shape: (Int, Int)) {
        let (rows, columns) = shape
        var state: UInt32 = 0x1234_5678
        func next() -> UInt8 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
        let matrix = GaloisMatrix(rows: rows, columns: columns, entries: (0..<(rows * columns)).map { _ in next() })
        let length = 3 * RegionMultiplier.blockBytes + 7
        let inputs = (0..<columns).map { _ in (0..<length).map { _ in next() } }
        let multiplier = RegionMultiplier(matrix)
        var flat = [UInt8](repeating: 0xEE, count: rows * length)
        let joined = inputs.flatMap { $0 }
        joined.withUnsafeBytes { source in
            flat.withUnsafeMutableBytes { target in
                multiplier.apply(
                    inputs: (0..<columns).map { source.baseAddress! + $0 * length },
                    outputs: (0..<rows).map { target.baseAddress! + $0 * length }, length: length)
            }
        }
        for row in 0..<rows {
            let output = Array(flat[(row * length)..<((row + 1) * length)])
            let expected = (0..<length).map { offset in
                (0..<columns).reduce(UInt8(0)) { $0 ^ GaloisField.multiply(matrix[row, $1], inputs[$1][offset]) }
            }
            #expect(output == expected, "row \(row)")
        }
    }
}
