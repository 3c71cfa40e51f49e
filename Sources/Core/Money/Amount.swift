/// A quantity of tokens or credits in integer base units. Never a floating-point number.
///
/// 128 bits hold any supply a real network issues at 18 decimals (10^38 base units); JSON
/// carries amounts as decimal strings so no reader rounds them through a double.
public struct Amount: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number of base units.
    public var units: UInt128

    /// Nothing.
    public static let zero = Amount(0)

    /// `units` base units.
    public init(_ units: UInt128) {
        self.units = units
    }

    /// Reads a non-negative decimal integer of base units, refusing signs, fractions, spaces and
    /// values above 2^128 - 1.
    public init(parsing text: String) throws(AmountError) {
        guard !text.isEmpty else { throw AmountError(.malformed, "an amount is a decimal integer, got an empty string") }
        if text.hasPrefix("-") { throw AmountError(.negative, "amounts are never negative, got \(text)") }
        var value: UInt128 = 0
        for character in text.utf8 {
            guard character >= 48 && character <= 57 else {
                throw AmountError(.malformed, "an amount is a decimal integer of base units, got '\(text)'")
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt128(character - 48))
            guard !o1 && !o2 else { throw AmountError(.overflow, "\(text) is larger than the largest amount") }
            value = sum
        }
        units = value
    }

    /// `self + other`, or an overflow error.
    public func adding(_ other: Amount) throws(AmountError) -> Amount {
        let (sum, overflow) = units.addingReportingOverflow(other.units)
        guard !overflow else { throw AmountError(.overflow, "\(self) + \(other) overflows") }
        return Amount(sum)
    }

    /// `self - other`, or an error when `other` is larger.
    public func subtracting(_ other: Amount) throws(AmountError) -> Amount {
        guard other.units <= units else {
            throw AmountError(.insufficient, "\(other) is more than \(self)")
        }
        return Amount(units - other.units)
    }

    /// The decimal string of base units.
    public var description: String { String(units) }

    /// `self` as a whole-and-fraction token string with `decimals` places, e.g. "12.5".
    public func formatted(decimals: Int) -> String {
        guard decimals > 0 else { return description }
        var divisor: UInt128 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let whole = units / divisor
        var fraction = String(units % divisor)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }

    /// Orders by units.
    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.units < rhs.units }
}

extension Amount: Codable {
    /// Decodes from a decimal string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try Amount(parsing: text)
    }

    /// Encodes as a decimal string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
