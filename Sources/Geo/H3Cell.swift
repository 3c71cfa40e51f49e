import Core
import Foundation

/// An H3 cell: the 64-bit index the reference library uses, bit for bit.
///
/// Layout (H3 index mode 1): bit 63 zero; bits 59–62 the mode (1 for a cell); bits 56–58 zero;
/// bits 52–55 the resolution (0–15); bits 45–51 the base cell (0–121); then fifteen 3-bit digits,
/// resolution 1 in bits 42–44 down to resolution 15 in bits 0–2. Digits past the resolution are
/// 7. Digits are directions in the aperture-7 hierarchy: 0 centre, 1 the K axis, …, 6 IJ.
public struct H3Cell: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The index.
    public let index: UInt64

    /// The 12 base cells that are pentagons.
    public static let pentagonBaseCells: Set<Int> = [4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117]
    /// Whether each base cell is a pentagon, for the hot paths.
    static let isPentagonBaseCell: [Bool] = (0..<122).map { pentagonBaseCells.contains($0) }
    /// The number of base cells (resolution-0 cells).
    public static let baseCellCount = 122
    /// The finest resolution.
    public static let maxResolution = 15

    /// Wraps an index after checking that it is a valid cell.
    public init(index: UInt64) throws(GeoError) {
        guard Self.isValid(index) else {
            throw GeoError(.invalidCell, "0x\(String(index, radix: 16)) is not a valid H3 cell")
        }
        self.index = index
    }

    /// Reads the hex string form the reference library writes (case-insensitive).
    public init(parsing text: String) throws(GeoError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 16, let index = UInt64(trimmed, radix: 16) else {
            throw GeoError(.invalidCell, "'\(text)' is not an H3 cell: one to sixteen hex digits")
        }
        try self.init(index: index)
    }

    /// A cell from its parts, digits from resolution 1 down.
    init(unchecked resolution: Int, baseCell: Int, digits: [UInt64]) {
        var index: UInt64 = 1 << 59 | UInt64(resolution) << 52 | UInt64(baseCell) << 45
        for position in 1...15 {
            let digit = position <= digits.count ? digits[position - 1] : 7
            index |= digit << UInt64(3 * (15 - position))
        }
        self.index = index
    }

    init(uncheckedIndex: UInt64) {
        index = uncheckedIndex
    }

    /// The lower-case hex string, as the reference library writes it.
    public var description: String { String(index, radix: 16) }

    /// The resolution, 0 (coarsest) to 15.
    public var resolution: Int { Int(index >> 52 & 0xf) }

    /// The base cell, 0 to 121.
    public var baseCell: Int { Int(index >> 45 & 0x7f) }

    /// The digit at `resolution` (1…15); 7 past the cell's resolution.
    public func digit(at resolution: Int) -> UInt64 { index >> UInt64(3 * (15 - resolution)) & 7 }

    /// Whether the cell is one of the 12 pentagons at its resolution.
    public var isPentagon: Bool {
        guard Self.pentagonBaseCells.contains(baseCell) else { return false }
        return (1...max(1, resolution)).allSatisfy { resolution == 0 || digit(at: $0) == 0 }
    }

    /// Orders by index.
    public static func < (lhs: H3Cell, rhs: H3Cell) -> Bool { lhs.index < rhs.index }

    /// Whether `index` is a valid cell, by the reference library's rules.
    public static func isValid(_ index: UInt64) -> Bool {
        guard index >> 63 == 0, index >> 59 & 0xf == 1, index >> 56 & 0x7 == 0 else { return false }
        let resolution = Int(index >> 52 & 0xf)
        let baseCell = Int(index >> 45 & 0x7f)
        guard baseCell < baseCellCount else { return false }
        var leadingZeros = pentagonBaseCells.contains(baseCell)
        for position in 1...15 {
            let digit = index >> UInt64(3 * (15 - position)) & 7
            if position <= resolution {
                guard digit != 7 else { return false }
                if leadingZeros, digit != 0 {
                    // A pentagon has no K-axis (digit 1) child along its centre line.
                    guard digit != 1 else { return false }
                    leadingZeros = false
                }
            } else {
                guard digit == 7 else { return false }
            }
        }
        return true
    }
}
