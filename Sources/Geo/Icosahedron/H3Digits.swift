/// Rotations of H3 digits (directions) and of whole indexes, by 60°.
enum H3Digits {
    /// A digit rotated 60° counter-clockwise: I → IJ → J → JK → K → IK → I.
    static let counterClockwise: [UInt64] = [0, 5, 3, 1, 6, 4, 2]
    /// A digit rotated 60° clockwise.
    static let clockwise: [UInt64] = [0, 3, 6, 2, 5, 1, 4]

    /// The first non-zero digit of `index` down to `resolution`, 0 when all are zero.
    static func leadingNonZero(_ index: UInt64, resolution: Int) -> UInt64 {
        guard resolution >= 1 else { return 0 }
        for position in 1...resolution {
            let digit = index >> UInt64(3 * (15 - position)) & 7
            if digit != 0 { return digit }
        }
        return 0
    }

    /// Every digit of `index` mapped through `table`.
    static func rotate(_ index: UInt64, resolution: Int, by table: [UInt64]) -> UInt64 {
        guard resolution >= 1 else { return index }
        var result = index
        for position in 1...resolution {
            let shift = UInt64(3 * (15 - position))
            let digit = result >> shift & 7
            result = result & ~(7 << shift) | table[Int(digit)] << shift
        }
        return result
    }

    /// A pentagon's index rotated 60° counter-clockwise, skipping the deleted K subsequence.
    static func rotatePentagonCounterClockwise(_ index: UInt64, resolution: Int) -> UInt64 {
        guard resolution >= 1 else { return index }
        var result = index
        var foundFirstNonZero = false
        for position in 1...resolution {
            let shift = UInt64(3 * (15 - position))
            let digit = counterClockwise[Int(result >> shift & 7)]
            result = result & ~(7 << shift) | digit << shift
            if !foundFirstNonZero, digit != 0 {
                foundFirstNonZero = true
                if leadingNonZero(result, resolution: resolution) == 1 {
                    result = rotate(result, resolution: resolution, by: counterClockwise)
                }
            }
        }
        return result
    }
}
