#if DEPIN_AVX2
    import _Builtin_intrinsics.intel
#endif

/// Multiplication by constants over GF(2⁸) as table lookups, 32 bytes at a time: c · x is
/// c · (x & 0x0F) XOR c · (x & 0xF0), and each half takes one of 16 values, so two 16-entry
/// tables per coefficient and a byte shuffle (AVX2's `vpshufb`, which looks up 32 bytes in a
/// 16-byte table per lane at once) multiply a whole vector. This is the kernel ISA-L's AVX2 code
/// is built on too; it needs AVX2, so it exists only in builds for it (`DEPIN_AVX2`, which
/// Package.swift sets with `-target-cpu haswell` on x86-64).
///
/// The work is cut into chunks of every input small enough to stay in the first-level cache,
/// and four outputs are summed at a time, each in a register, over all the inputs.
struct NibbleTables: Sendable {
    /// Whether this build has the kernel.
    #if DEPIN_AVX2
        static let available = true
    #else
        static let available = false
    #endif

    /// Bytes one step multiplies.
    static let vectorBytes = 32
    /// Bytes of every input worked on before moving on.
    static let chunkBytes = 1024

    let rows: Int
    let columns: Int
    /// For output r and input c, at (r · columns + c) · 64: c's 16 products with the low
    /// nibbles, twice (one copy per 128-bit lane), then with the high nibbles, twice.
    let tables: [UInt8]

    init(_ matrix: GaloisMatrix) {
        rows = matrix.rows
        columns = matrix.columns
        var tables = [UInt8](repeating: 0, count: rows * columns * 64)
        for row in 0..<rows {
            for column in 0..<columns {
                let base = (row * columns + column) * 64
                let coefficient = matrix[row, column]
                for nibble in 0..<16 {
                    let low = GaloisField.multiply(coefficient, UInt8(nibble))
                    let high = GaloisField.multiply(coefficient, UInt8(nibble << 4))
                    tables[base + nibble] = low
                    tables[base + 16 + nibble] = low
                    tables[base + 32 + nibble] = high
                    tables[base + 48 + nibble] = high
                }
            }
        }
        self.tables = tables
    }

    /// Writes the first `length` rounded down to 32 bytes of every output; returns that count.
    func apply(inputs: UnsafePointer<UnsafeRawPointer>, outputs: UnsafePointer<UnsafeMutableRawPointer>, length: Int) -> Int {
        #if DEPIN_AVX2
            let covered = length / Self.vectorBytes * Self.vectorBytes
            tables.withUnsafeBytes { tables in
                var start = 0
                while start < covered {
                    let end = min(start + Self.chunkBytes, covered)
                    var row = 0
                    while row + 4 <= rows {
                        fourRows(row, tables.baseAddress!, inputs, outputs, start, end)
                        row += 4
                    }
                    while row < rows {
                        oneRow(row, tables.baseAddress!, inputs, outputs, start, end)
                        row += 1
                    }
                    start = end
                }
            }
            return covered
        #else
            return 0
        #endif
    }

    #if DEPIN_AVX2
        typealias Vector = __m256i

        @inline(__always)
        private static func load(_ pointer: UnsafeRawPointer) -> Vector {
            _mm256_loadu_si256(pointer.assumingMemoryBound(to: Vector.self))
        }

        /// x's low and high nibbles, each in the low four bits of its byte.
        @inline(__always)
        private static func nibbles(_ x: Vector) -> (Vector, Vector) {
            let mask = _mm256_set1_epi8(0x0F)
            return (_mm256_and_si256(x, mask), _mm256_and_si256(_mm256_srli_epi64(x, 4), mask))
        }

        /// sum XOR (the coefficient whose tables are at `table`) · x.
        @inline(__always)
        private static func accumulate(_ sum: Vector, _ table: UnsafeRawPointer, _ low: Vector, _ high: Vector) -> Vector {
            let product = _mm256_xor_si256(
                _mm256_shuffle_epi8(load(table), low), _mm256_shuffle_epi8(load(table + 32), high))
            return _mm256_xor_si256(sum, product)
        }

        private func fourRows(
            _ row: Int, _ tables: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafeRawPointer>,
            _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ start: Int, _ end: Int
        ) {
            let stride = columns &* 64
            let first = tables + row &* stride
            var offset = start
            while offset < end {
                var sum0 = _mm256_setzero_si256(), sum1 = sum0, sum2 = sum0, sum3 = sum0
                var table = first
                for column in 0..<columns {
                    let (low, high) = Self.nibbles(Self.load(inputs[column] + offset))
                    sum0 = Self.accumulate(sum0, table, low, high)
                    sum1 = Self.accumulate(sum1, table + stride, low, high)
                    sum2 = Self.accumulate(sum2, table + 2 &* stride, low, high)
                    sum3 = Self.accumulate(sum3, table + 3 &* stride, low, high)
                    table += 64
                }
                _mm256_storeu_si256((outputs[row] + offset).assumingMemoryBound(to: Vector.self), sum0)
                _mm256_storeu_si256((outputs[row + 1] + offset).assumingMemoryBound(to: Vector.self), sum1)
                _mm256_storeu_si256((outputs[row + 2] + offset).assumingMemoryBound(to: Vector.self), sum2)
                _mm256_storeu_si256((outputs[row + 3] + offset).assumingMemoryBound(to: Vector.self), sum3)
                offset &+= Self.vectorBytes
            }
        }

        private func oneRow(
            _ row: Int, _ tables: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafeRawPointer>,
            _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ start: Int, _ end: Int
        ) {
            let first = tables + row &* columns &* 64
            var offset = start
            while offset < end {
                var sum = _mm256_setzero_si256()
                var table = first
                for column in 0..<columns {
                    let (low, high) = Self.nibbles(Self.load(inputs[column] + offset))
                    sum = Self.accumulate(sum, table, low, high)
                    table += 64
                }
                _mm256_storeu_si256((outputs[row] + offset).assumingMemoryBound(to: Vector.self), sum)
                offset &+= Self.vectorBytes
            }
        }
    #endif
}
