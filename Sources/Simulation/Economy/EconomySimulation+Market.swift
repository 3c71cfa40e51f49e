import Core
import Foundation
import Ledger
import Rewards

extension EconomySimulation {
    /// What customers spend in an epoch.
    struct Spending {
        /// Dollars.
        var usd: Double
        /// Credits bought.
        var credits: UInt128
        /// Credits bought for each genesis service (by index).
        var creditsByService: [Int: UInt128]
    }

    /// Each service's demand in `epoch`: its base, grown by its yearly rate, times the shocks in
    /// force, times the flywheel (its devices against their initial number, to its elasticity).
    /// A service with no devices sells nothing.
    func spending(epoch: Int, active: [Int], initial: [Int], priceUSD: Double) -> Spending {
        let years = Double(epoch) * Double(genesis.epochs.lengthSeconds) / 31_536_000
        let shock = scenario.shockFactor(epoch: epoch)
        var spending = Spending(usd: 0, credits: 0, creditsByService: [:])
        for (index, service) in genesis.services.enumerated() {
            guard let demand = scenario.demand[service.name], demand.usdPerEpoch > 0 else { continue }
            let fleets = scenario.fleets.indices.filter { servicesOfFleet[$0].contains(index) }
            let devices = fleets.reduce(0) { $0 + active[$1] }
            guard devices > 0 else { continue }
            let start = fleets.reduce(0) { $0 + initial[$1] }
            var usd = demand.usdPerEpoch * pow(1 + demand.growthPerYear, years) * shock
            if demand.deviceElasticity > 0 { usd *= pow(Double(devices) / Double(max(start, 1)), demand.deviceElasticity) }
            let credits = UInt128(min(max(usd * creditsPerUSD, 0), 1e30).rounded())
            guard credits > 0 else { continue }
            spending.usd += usd
            spending.credits += credits
            spending.creditsByService[index] = credits
        }
        return spending
    }

    /// The credits each representative served: a service's credits split over the devices it
    /// pays by uptime (capacity online), each device's part floored, and a cohort's credits its
    /// members' parts together, so that a cohort serves exactly what its devices would alone. The
    /// floors leave less than a credit per device unassigned.
    func usageCredits(_ creditsByService: [Int: UInt128], fleet: DeviceFleet) -> [String: Amount] {
        var usage: [String: Amount] = [:]
        for (service, credits) in creditsByService.sorted(by: { $0.key < $1.key }) {
            let cohorts = fleet.cohorts.indices.filter {
                !fleet.members[$0].isEmpty && servicesOfFleet[fleet.cohorts[$0].fleet].contains(service)
            }
            let perDevice = cohorts.map { UInt128((fleet.cohorts[$0].uptime * 1_000).rounded()) }
            let total = zip(cohorts, perDevice).reduce(UInt128(0)) { $0 + UInt128(fleet.members[$1.0].count) * $1.1 }
            guard total > 0 else { continue }
            for (cohort, weight) in zip(cohorts, perDevice) {
                let part = EmissionSchedule.mulDiv(credits, weight, total) * UInt128(fleet.members[cohort].count)
                guard part > 0 else { continue }
                let key = fleet.cohorts[cohort].address.description
                usage[key] = (try? (usage[key] ?? .zero).adding(Amount(part))) ?? Amount(part)
            }
        }
        return usage
    }
}
