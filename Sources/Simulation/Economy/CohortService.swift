import Core
import Foundation
import Rewards

/// A service module seen through cohorts: the wrapped module scores each cohort's representative
/// by its own rules, and the representative's shares count once for every device in the cohort.
/// So the engine's split among representatives is the split among all the devices, grouped.
struct CohortService: NetworkService {
    /// The real module.
    let inner: any NetworkService
    /// Devices per representative.
    let sizes: [Address: UInt128]

    var name: String { inner.name }
    var reportTypes: [String: Set<DeviceKind>] { inner.reportTypes }

    func validate(_ report: Report, kind: DeviceKind) -> String? { inner.validate(report, kind: kind) }

    func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] { close(epoch).scores }

    func close(_ epoch: ServiceEpoch) -> ServiceOutcome {
        var outcome = inner.close(epoch)
        for (address, score) in outcome.scores {
            let size = sizes[address] ?? 1
            guard size != 1 else { continue }
            var scaled = score
            scaled.shares = score.shares * size
            outcome.scores[address] = scaled
        }
        return outcome
    }
}
