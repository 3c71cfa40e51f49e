import Core

/// An amount kept in three integer columns of twelve decimal digits each, high first, so that
/// SQLite sorts amounts exactly (by the three columns in turn) and sums them exactly (SUM of
/// each column fits 64 bits for up to nine million rows, and an epoch's rewards together never
/// exceed the 128-bit supply).
enum AmountColumns {
    static let base: UInt128 = 1_000_000_000_000

    /// `amount` as (high, middle, low).
    static func split(_ amount: Amount) -> (high: Int64, middle: Int64, low: Int64) {
        let units = amount.units
        return (Int64(units / base / base), Int64(units / base % base), Int64(units % base))
    }

    /// The amount whose columns (or whose columns' sums) are given.
    static func join(high: Int64, middle: Int64, low: Int64) throws -> Amount {
        guard high >= 0, middle >= 0, low >= 0 else { throw StoreError(.corrupt, "a negative amount column") }
        let (scaled, overflow) = (UInt128(high) * base).multipliedReportingOverflow(by: base)
        guard !overflow else { throw StoreError(.corrupt, "an amount beyond 128 bits") }
        return try Amount(scaled).adding(Amount(UInt128(middle) * base)).adding(Amount(UInt128(low)))
    }
}
