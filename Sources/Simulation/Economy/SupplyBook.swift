import Core
import Ledger
import Rewards

/// The token's supply through a simulation: the genesis allocations, every epoch's emission and
/// mint, and every burn. Exact, in base units.
struct SupplyBook: Sendable {
    /// Allocated at genesis.
    let allocated: Amount
    /// Emission of every epoch so far (minted or carried), which the engine caps.
    private(set) var emitted: Amount = .zero
    /// Minted so far.
    private(set) var minted: Amount = .zero
    /// Burned so far.
    private(set) var burned: Amount = .zero

    init(genesis: Genesis) {
        allocated = genesis.allocated
    }

    /// Allocations plus mints less burns.
    var supply: Amount {
        let issued = (try? allocated.adding(minted)) ?? allocated
        return (try? issued.subtracting(burned)) ?? .zero
    }

    /// Burns `tokens` whole tokens (`scale` base units each), never more than the supply; returns
    /// the base units burned.
    mutating func burn(tokens: Double, scale: Double) -> Amount {
        let wanted = tokens * scale
        let available = supply
        let units: UInt128 =
            !(wanted > 0) ? 0 : wanted >= Double(available.units) ? available.units : UInt128(wanted.rounded())
        let amount = Amount(min(units, available.units))
        burned = (try? burned.adding(amount)) ?? burned
        return amount
    }

    /// Takes in an epoch's emission and mint.
    mutating func record(_ result: EpochResult) {
        emitted = (try? emitted.adding(result.emission)) ?? emitted
        minted = (try? minted.adding(result.minted)) ?? minted
    }
}
