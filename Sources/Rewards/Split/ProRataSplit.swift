import Core

/// Splits an amount among claimants pro rata to their weights with floor division; what the floors
/// leave is returned as the remainder, so the parts plus the remainder always equal the amount.
public enum ProRataSplit {
    /// The split of `total` over `weights` (in the given order) and the remainder. With all
    /// weights zero, every part is zero and the whole total is the remainder.
    public static func split(_ total: Amount, weights: [UInt128]) -> (parts: [Amount], remainder: Amount) {
        // Shares are relative: weights whose sum passes 2^128 are scaled down together until it fits.
        var scaled = weights
        var denominator = Self.sum(scaled)
        while denominator == nil {
            scaled = scaled.map { $0 >> 1 }
            denominator = Self.sum(scaled)
        }
        guard let denominator, denominator > 0 else { return (weights.map { _ in .zero }, total) }
        var parts: [Amount] = []
        parts.reserveCapacity(weights.count)
        var paid: UInt128 = 0
        for weight in scaled {
            let part = EmissionSchedule.mulDiv(total.units, weight, denominator)
            parts.append(Amount(part))
            paid += part
        }
        return (parts, Amount(total.units - paid))
    }

    private static func sum(_ weights: [UInt128]) -> UInt128? {
        var sum: UInt128 = 0
        for weight in weights {
            let (next, overflow) = sum.addingReportingOverflow(weight)
            if overflow { return nil }
            sum = next
        }
        return sum
    }
}
