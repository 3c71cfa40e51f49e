/// Multiplies byte regions by a matrix over GF(2⁸): output r = Σⱼ matrix[r, j] · input j, the
/// one operation both encoding and decoding are made of.
///
/// Two kernels do it. Where the build has AVX2, `NibbleTables` (byte shuffles, as ISA-L does),
/// about twice as fast; elsewhere the portable one below, which needs no shuffle instruction.
///
/// The portable kernel: multiplying by a constant is linear over GF(2): c · x is the XOR of 2ᵇ · x over the bits b
/// set in c. The multiplier runs Horner's rule on the bits: each output block is accumulated from
/// the top bit down, doubling the sum once per bit and XORing in the inputs whose coefficient has
/// that bit, so an output costs seven doublings per block whatever the number of inputs, and a
/// coefficient one XOR per bit set. Doubling every byte of a block is a few shifts, masks and
/// XORs on 64-bit lanes; no table is indexed by data, so the work is plain SIMD integer
/// operations, 64 bytes at a time. (Measured here, this beat computing each input's 16 nibble
/// multiples once and XORing two per coefficient, even at 51 outputs: the tables' stores cost
/// more than the doublings they save.)
struct RegionMultiplier: Sendable {
    typealias Block = SIMD8<UInt64>
    static let blockBytes = MemoryLayout<Block>.size

    /// The ways to multiply.
    enum Kernel: Sendable, CaseIterable {
        /// Horner's rule on 64-bit lanes: any CPU.
        case portable
        /// Nibble tables and byte shuffles: builds for AVX2 only.
        case nibbleTables

        /// The fastest this build has.
        static let best: Kernel = NibbleTables.available ? .nibbleTables : .portable
        /// Those this build has.
        static let available: [Kernel] = allCases.filter { $0 == .portable || NibbleTables.available }
    }

    let rows: Int
    let columns: Int
    let matrix: GaloisMatrix
    /// For output r and bit b (7 down to 0), the inputs whose coefficient has bit b:
    /// terms[starts[r · 8 + 7 − b]..<starts[r · 8 + 8 − b]].
    let terms: [Int32]
    let starts: [Int]
    /// The shuffle kernel's tables, when it is the one used.
    let nibbleTables: NibbleTables?

    /// A multiplier by `matrix` that uses `kernel`.
    init(_ matrix: GaloisMatrix, kernel: Kernel = .best) {
        self.matrix = matrix
        nibbleTables = kernel == .nibbleTables && NibbleTables.available ? NibbleTables(matrix) : nil
        rows = matrix.rows
        columns = matrix.columns
        var terms: [Int32] = []
        var starts = [0]
        for row in 0..<rows {
            for bit in stride(from: 7, through: 0, by: -1) {
                for column in 0..<columns where matrix[row, column] & (1 << bit) != 0 { terms.append(Int32(column)) }
                starts.append(terms.count)
            }
        }
        self.terms = terms
        self.starts = starts
    }

    /// 2 · x in every byte: shift each byte left, and reduce by 0x1D the bytes whose top bit fell
    /// off ((h << 1) − (h >> 7) is 0xFF exactly in the bytes whose top bit h was set).
    @inline(__always)
    static func double(_ x: Block) -> Block {
        let high = x & Block(repeating: 0x8080_8080_8080_8080)
        let overflowed = (high &<< 1) &- (high &>> 7)
        return ((x &<< 1) & Block(repeating: 0xFEFE_FEFE_FEFE_FEFE)) ^ (overflowed & Block(repeating: 0x1D1D_1D1D_1D1D_1D1D))
    }

    /// Writes `length` bytes of every output from `length` bytes of every input.
    func apply(inputs: [UnsafeRawPointer], outputs: [UnsafeMutableRawPointer], length: Int) {
        precondition(inputs.count == columns && outputs.count == rows)
        let done: Int
        if let nibbleTables {
            done = inputs.withUnsafeBufferPointer { inputs in
                outputs.withUnsafeBufferPointer { outputs in
                    nibbleTables.apply(inputs: inputs.baseAddress!, outputs: outputs.baseAddress!, length: length)
                }
            }
        } else {
            let blocks = length / Self.blockBytes
            terms.withUnsafeBufferPointer { terms in
                starts.withUnsafeBufferPointer { starts in
                    inputs.withUnsafeBufferPointer { inputs in
                        outputs.withUnsafeBufferPointer { outputs in
                            horner(blocks: blocks, terms, starts, inputs, outputs)
                        }
                    }
                }
            }
            done = blocks * Self.blockBytes
        }
        // The last bytes, fewer than a block, one at a time.
        for offset in done..<length {
            for row in 0..<rows {
                var sum: UInt8 = 0
                for column in 0..<columns {
                    sum ^= GaloisField.multiply(matrix[row, column], inputs[column].load(fromByteOffset: offset, as: UInt8.self))
                }
                outputs[row].storeBytes(of: sum, toByteOffset: offset, as: UInt8.self)
            }
        }
    }

    private func horner(
        blocks: Int, _ terms: UnsafeBufferPointer<Int32>, _ starts: UnsafeBufferPointer<Int>,
        _ inputs: UnsafeBufferPointer<UnsafeRawPointer>, _ outputs: UnsafeBufferPointer<UnsafeMutableRawPointer>
    ) {
        let values = UnsafeMutablePointer<Block>.allocate(capacity: columns)
        defer { values.deallocate() }
        for block in 0..<blocks {
            let offset = block * Self.blockBytes
            for column in 0..<columns { values[column] = inputs[column].loadUnaligned(fromByteOffset: offset, as: Block.self) }
            for row in 0..<rows {
                var sum = Block.zero
                let base = row * 8
                for step in 0..<8 {
                    sum = Self.double(sum)
                    for index in starts[base + step]..<starts[base + step + 1] { sum ^= values[Int(terms[index])] }
                }
                outputs[row].storeBytes(of: sum, toByteOffset: offset, as: Block.self)
            }
        }
    }
}
