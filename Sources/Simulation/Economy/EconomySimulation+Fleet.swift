import Core
import Foundation

extension EconomySimulation {
    /// Adds one device of `fleet`, joining in `epoch`: its region drawn by the regions' shares,
    /// its tier uniformly.
    func addDevice(fleet: Int, epoch: Int, to devices: inout DeviceFleet, using random: inout SeededGenerator) {
        var region: Int?
        var draw = random.unit()
        for (index, candidate) in scenario.regions.enumerated() {
            if draw < candidate.share {
                region = index
                break
            }
            draw -= candidate.share
        }
        let tier = Int(random.next() % UInt64(scenario.tiers))
        let range = region.flatMap { scenario.regions[$0].uptime } ?? scenario.fleets[fleet].uptime
        devices.add(
            fleet: fleet, region: region, tier: tier,
            uptime: DeviceFleet.uptime(tier: tier, of: scenario.tiers, range: range), epoch: epoch)
    }

    /// The owners' decisions at the end of `epoch`, from each cohort's earnings per device and
    /// epoch over the last month (`trailingUSD`). Buyers add devices of a kind in proportion to
    /// how fast its median device pays back (the maximum when it pays back in half the target or
    /// faster, none when it earns less than its power); in each cohort the base churn switches
    /// devices off, plus the unprofitable churn while the cohort earns less than its power.
    func evolve(
        _ devices: inout DeviceFleet, epoch: Int, trailingUSD: [Double], active: [Int], using random: inout SeededGenerator
    ) -> (added: [Int], removed: [Int]) {
        var added = [Int](repeating: 0, count: scenario.fleets.count)
        var removed = [Int](repeating: 0, count: scenario.fleets.count)
        var earners = [[(Double, Int)]](repeating: [], count: scenario.fleets.count)
        for cohort in devices.cohorts.indices where !devices.members[cohort].isEmpty {
            let fleet = devices.cohorts[cohort].fleet
            let spec = scenario.fleets[fleet]
            earners[fleet].append((trailingUSD[cohort], devices.members[cohort].count))
            let net = trailingUSD[cohort] - powerCostUSD(fleet: fleet)
            let rate = spec.churnPerEpoch + (net < 0 ? spec.unprofitableChurnPerEpoch : 0)
            let leaving = Self.randomRound(Double(devices.members[cohort].count) * rate, using: &random)
            if leaving > 0 { removed[fleet] += devices.remove(leaving, from: cohort, epoch: epoch + 1, using: &random) }
        }
        for (fleet, spec) in scenario.fleets.enumerated() where spec.maxGrowthPerEpoch > 0 {
            let net = Self.percentiles(earners[fleet]).median - powerCostUSD(fleet: fleet)
            guard net > 0 else { continue }
            let payback = spec.hardwareCostUSD / net
            let appeal = payback <= 0 ? 1 : min(spec.paybackTargetEpochs / payback, 2) / 2
            var count = Self.randomRound(Double(max(active[fleet], 10)) * spec.maxGrowthPerEpoch * appeal, using: &random)
            if let limit = spec.maxDevices { count = max(0, min(count, limit - (active[fleet] - removed[fleet]))) }
            for _ in 0..<count { addDevice(fleet: fleet, epoch: epoch + 1, to: &devices, using: &random) }
            added[fleet] = count
        }
        return (added, removed)
    }

    /// How each fleet fared: per device, dollars earned over its life (from its cohort's
    /// cumulative earnings between joining and leaving) less power, against its hardware.
    func outcomes(_ devices: DeviceFleet, cumulativeUSD: [[Double]]) -> [SimulationRun.FleetOutcome] {
        let end = scenario.epochs
        var nets = [[Double]](repeating: [], count: scenario.fleets.count)
        var active = [Int](repeating: 0, count: scenario.fleets.count)
        var paid = [Int](repeating: 0, count: scenario.fleets.count)
        for device in 0..<devices.count {
            let cohort = Int(devices.cohortOf[device])
            let fleet = devices.cohorts[cohort].fleet
            let joined = min(Int(devices.joined[device]), end)
            let left = min(Int(devices.left[device]), end)
            if devices.left[device] == .max { active[fleet] += 1 }
            let earned = cumulativeUSD[cohort][left] - cumulativeUSD[cohort][joined]
            let net = earned - powerCostUSD(fleet: fleet) * Double(left - joined)
            nets[fleet].append(net)
            if net >= scenario.fleets[fleet].hardwareCostUSD { paid[fleet] += 1 }
        }
        return scenario.fleets.enumerated().map { index, spec in
            let sorted = nets[index].sorted()
            return SimulationRun.FleetOutcome(
                kind: spec.kind.name, deployed: sorted.count, active: active[index],
                paidBack: sorted.isEmpty ? 0 : Double(paid[index]) / Double(sorted.count),
                medianNetUSD: sorted.isEmpty ? 0 : sorted[sorted.count / 2])
        }
    }

    /// `value` rounded down or up at random, up with the probability of its fraction, so that
    /// small rates still act on average.
    static func randomRound(_ value: Double, using random: inout SeededGenerator) -> Int {
        guard value > 0, value.isFinite else { return 0 }
        let whole = value.rounded(.down)
        return Int(whole) + (random.unit() < value - whole ? 1 : 0)
    }
}
