import Testing

@testable import Storage

/// The region multiplier against the field's own arithmetic, byte by byte, with every kernel this
/// build has, on lengths that end inside a block and that span the shuffle kernel's chunks.
@Suite struct RegionMultiplierTests {
    @Test func thisBuildHasTheKernelsItShould() {
        #if arch(x86_64) && DEPIN_AVX2
            #expect(RegionMultiplier.Kernel.best == .nibbleTables)
        #endif
        #expect(RegionMultiplier.Kernel.available.contains(.portable))
    }

    @Test(
        arguments: RegionMultiplier.Kernel.available,
        [(3, 5, 3 * 64 + 7), (9, 17, 3 * 64 + 7), (20, 4, 3 * 64 + 7), (1, 1, 3 * 64 + 7), (6, 29, 2 * 1024 + 100), (5, 3, 31)])
    func itMultipliesLikeTheField(kernel: RegionMultiplier.Kernel, shape: (Int, Int, Int)) {
        let (rows, columns, length) = shape
        var state: UInt32 = 0x1234_5678
        func next() -> UInt8 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
        let matrix = GaloisMatrix(rows: rows, columns: columns, entries: (0..<(rows * columns)).map { _ in next() })
        let inputs = (0..<columns).map { _ in (0..<length).map { _ in next() } }
        let multiplier = RegionMultiplier(matrix, kernel: kernel)
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
            #expect(output == expected, "row \(row) with the \(kernel) kernel")
        }
    }
}
