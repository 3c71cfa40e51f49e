import Core
import Geo
import Rewards

/// How the mapping service weighs an epoch's cells, against the map as the epoch began.
///
/// A cell weighs 1000 units when it was never mapped or was last mapped at least the freshness
/// window ago, and in proportion to its age when sooner (never below `min_refresh_weight`), so
/// refreshing stale roads pays and re-driving fresh ones adds little. The weight is multiplied
/// by the region's map-progress multiplier (`MapProgress`) and by the bounty multiplier where a
/// customer's bounty covers the cell; a driver's sum is scaled by its reputation.
///
/// Reputation (permille) starts at 1000 and moves a quarter of the way each epoch towards the
/// share of the driver's segments that counted: refused at ingest or by the cross-checks, the
/// share falls, and with it every later reward until clean data brings it back.
struct MappingRewards {
    let parameters: MappingParameters
    let map: MapState
    let epoch: ServiceEpoch
    let progress: MapProgress
    /// The epoch's bounties with their areas.
    let bounties: [(bounty: AreaBounty, area: H3Cell)]

    init(parameters: MappingParameters, map: MapState, epoch: ServiceEpoch) {
        self.parameters = parameters
        self.map = map
        self.epoch = epoch
        progress = MapProgress(
            map, resolution: parameters.regionResolution, nowMs: epoch.startMs, freshnessMs: parameters.freshnessSeconds * 1_000)
        bounties = epoch.bounties.sorted { $0.id < $1.id }.compactMap { bounty in
            (try? H3Cell(parsing: bounty.area)).map { (bounty, $0) }
        }
    }

    /// A driver's reputation after an epoch with `counted` and `rejected` segments, permille.
    func reputation(of driver: Address, counted: Int, rejected: Int) -> Int {
        let before = map.reputation(of: driver)
        guard counted + rejected > 0 else { return before }
        let quality = counted * 1_000 / (counted + rejected)
        return (3 * before + quality) / 4
    }

    /// The weight of refreshing cell `index` now, permille of a stale cell.
    func staleness(of index: UInt64) -> Int {
        guard let cell = map.cells[index] else { return 1_000 }
        let window = parameters.freshnessSeconds * 1_000
        let age = max(epoch.startMs - cell.mappedMs, 0)
        guard age < window else { return 1_000 }
        return max(parameters.minRefreshWeight, Int(age * 1_000 / window))
    }

    /// Whether a bounty's area holds cell `index`.
    static func covers(_ area: H3Cell, _ index: UInt64) -> Bool {
        guard let cell = try? H3Cell(index: index), cell.resolution >= area.resolution else { return false }
        return (try? cell.parent(at: area.resolution)) == area
    }

    /// The demand multiplier of cell `index`, permille: the bounty multiplier under a bounty.
    func demand(of index: UInt64) -> Int {
        bounties.contains { Self.covers($0.area, index) } ? parameters.bountyMultiplier : 1_000
    }

    /// A driver's shares for its distinct cells: each cell's units (1000 for a stale cell at 1x)
    /// times the region and demand multipliers, scaled by its reputation.
    func shares(cells: some Sequence<UInt64>, reputation: Int) -> UInt128 {
        var units: UInt128 = 0
        for index in cells {
            units += UInt128(staleness(of: index)) * UInt128(progress.multiplier(ofCell: index)) * UInt128(demand(of: index))
                / 1_000_000
        }
        return units * UInt128(max(reputation, 0)) / 1_000
    }

    /// Usage credits: what customers paid for queries, plus each bounty's part for the epoch split
    /// among the drivers who mapped cells in its area, by cells (the remainder to the one with
    /// most, then the lowest address); a part nobody earned goes back to the bounty's account.
    func bountyPayouts(passes: [Address: [UInt64: MappingService.Pass]], paid: [String: Amount]) -> (
        usage: [String: Amount], refunds: [CreditRefund]
    ) {
        var usage = paid
        var refunds: [CreditRefund] = []
        for (bounty, area) in bounties where bounty.credits > .zero {
            var weights: [(driver: Address, cells: UInt128)] = []
            for driver in passes.keys.sorted() {
                let inside = passes[driver]!.keys.filter { Self.covers(area, $0) }.count
                if inside > 0 { weights.append((driver, UInt128(inside))) }
            }
            guard !weights.isEmpty else {
                refunds.append(CreditRefund(account: bounty.account, credits: bounty.credits, reference: bounty.id))
                continue
            }
            let split = ProRataSplit.split(bounty.credits, weights: weights.map(\.cells))
            var parts = split.parts
            let heaviest = weights.indices.max { weights[$0].cells == weights[$1].cells ? $0 > $1 : weights[$0].cells < weights[$1].cells }!
            parts[heaviest] = (try? parts[heaviest].adding(split.remainder)) ?? parts[heaviest]
            for (weight, part) in zip(weights, parts) where part > .zero {
                let key = weight.driver.description
                usage[key] = (try? (usage[key] ?? .zero).adding(part)) ?? usage[key]
            }
        }
        return (usage, refunds)
    }
}
