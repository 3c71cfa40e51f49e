import Core
import Ledger

/// How many base units each epoch emits: the genesis schedule with its decay, capped so that the
/// allocations plus every mint never pass the supply cap.
public struct EmissionSchedule: Sendable {
    /// The genesis whose `[emission]` and `[token]` apply.
    public let genesis: Genesis

    /// The schedule of `genesis`.
    public init(genesis: Genesis) {
        self.genesis = genesis
    }

    /// Epochs in a year (365 days) at the genesis epoch length; at least one.
    public var epochsPerYear: Int64 { max(1, 31_536_000 / Int64(genesis.epochs.lengthSeconds)) }

    /// The uncapped emission of `epoch` under the decay.
    public func scheduled(epoch: Int64) -> Amount {
        let base = genesis.emission.perEpoch.units
        switch genesis.emission.decay {
        case .none:
            return Amount(base)
        case .halving(let every):
            let halvings = epoch / Int64(every)
            return Amount(halvings >= 128 ? 0 : base >> UInt128(halvings))
        case .yearlyCut(let percent):
            var amount = base
            var years = epoch / epochsPerYear
            // Floor after each year's cut, as an integer schedule must; stop once nothing is left.
            while years > 0, amount > 0 {
                amount = Self.mulDiv(amount, UInt128(100 - percent), 100)
                years -= 1
            }
            return Amount(amount)
        }
    }

    /// The emission of `epoch` given what has been minted before it: never past the cap.
    public func emission(epoch: Int64, mintedBefore: Amount) -> Amount {
        let issued = (try? genesis.allocated.adding(mintedBefore)) ?? Amount(.max)
        let room = (try? genesis.token.supplyCap.subtracting(issued)) ?? .zero
        return min(scheduled(epoch: epoch), room)
    }

    /// `a × b / c` with a 256-bit intermediate, floored. `c` must not be zero and the quotient must
    /// fit 128 bits (it does whenever `b ≤ c`).
    public static func mulDiv(_ a: UInt128, _ b: UInt128, _ c: UInt128) -> UInt128 {
        let product = a.multipliedFullWidth(by: b)
        // A quotient past UInt128 saturates instead of trapping.
        guard product.high < c else { return .max }
        return c.dividingFullWidth((high: product.high, low: product.low)).quotient
    }
}
