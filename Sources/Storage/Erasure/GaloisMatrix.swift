/// A matrix over GF(2⁸), row-major: the code's generator and the inverses decoding needs.
struct GaloisMatrix: Sendable, Equatable {
    let rows: Int
    let columns: Int
    var entries: [UInt8]

    init(rows: Int, columns: Int, entries: [UInt8]) {
        precondition(entries.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.entries = entries
    }

    subscript(row: Int, column: Int) -> UInt8 {
        get { entries[row * columns + column] }
        set { entries[row * columns + column] = newValue }
    }

    /// One row's entries.
    func row(_ index: Int) -> ArraySlice<UInt8> { entries[(index * columns)..<((index + 1) * columns)] }

    /// The systematic generator of a (k, n) code: k identity rows (pieces 0..<k are the data),
    /// then n − k rows of the Cauchy matrix 1 / (xᵢ + yⱼ) with xᵢ = k + i and yⱼ = j. Every k×k
    /// submatrix of a Cauchy matrix stacked under the identity is invertible, so any k pieces
    /// rebuild the data.
    static func systematicCauchy(k: Int, n: Int) -> GaloisMatrix {
        var matrix = GaloisMatrix(rows: n, columns: k, entries: [UInt8](repeating: 0, count: n * k))
        for index in 0..<k { matrix[index, index] = 1 }
        for row in k..<n {
            for column in 0..<k { matrix[row, column] = GaloisField.inverse(UInt8(row) ^ UInt8(column)) }
        }
        return matrix
    }

    /// The rows `indices`, in that order.
    func selecting(rows indices: [Int]) -> GaloisMatrix {
        GaloisMatrix(rows: indices.count, columns: columns, entries: indices.flatMap { row($0) })
    }

    /// self × other.
    func multiplied(by other: GaloisMatrix) -> GaloisMatrix {
        precondition(columns == other.rows)
        var product = GaloisMatrix(rows: rows, columns: other.columns, entries: [UInt8](repeating: 0, count: rows * other.columns))
        for row in 0..<rows {
            for inner in 0..<columns where self[row, inner] != 0 {
                let factor = self[row, inner]
                for column in 0..<other.columns {
                    product[row, column] ^= GaloisField.multiply(factor, other[inner, column])
                }
            }
        }
        return product
    }

    /// The inverse of a square matrix by Gauss-Jordan elimination; nil when it is singular.
    func inverted() -> GaloisMatrix? {
        precondition(rows == columns)
        let size = rows
        var work = self
        var inverse = GaloisMatrix(rows: size, columns: size, entries: [UInt8](repeating: 0, count: size * size))
        for index in 0..<size { inverse[index, index] = 1 }
        for pivot in 0..<size {
            guard let found = (pivot..<size).first(where: { work[$0, pivot] != 0 }) else { return nil }
            if found != pivot {
                for column in 0..<size {
                    work.entries.swapAt(found * size + column, pivot * size + column)
                    inverse.entries.swapAt(found * size + column, pivot * size + column)
                }
            }
            let scale = GaloisField.inverse(work[pivot, pivot])
            for column in 0..<size {
                work[pivot, column] = GaloisField.multiply(work[pivot, column], scale)
                inverse[pivot, column] = GaloisField.multiply(inverse[pivot, column], scale)
            }
            for row in 0..<size where row != pivot && work[row, pivot] != 0 {
                let factor = work[row, pivot]
                for column in 0..<size {
                    work[row, column] ^= GaloisField.multiply(factor, work[pivot, column])
                    inverse[row, column] ^= GaloisField.multiply(factor, inverse[pivot, column])
                }
            }
        }
        return inverse
    }
}
