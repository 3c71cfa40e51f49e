import Core
import Rewards

/// A closed epoch as the explorer shows it: its summary, pools and per-service totals, read
/// without decoding the epoch's whole result.
public struct EpochDigest: Sendable, Equatable {
    /// What one service's devices did in the epoch, summed when the epoch committed.
    public struct ServiceTotals: Sendable, Equatable, Codable {
        /// The service.
        public var service: String
        /// Devices with a reward line (they earned, or sent reports).
        public var devices: Int
        /// Devices paid more than zero.
        public var rewarded: Int
        /// Credits earned serving paid usage.
        public var usageCredits: Amount
        /// Reports that did not count, by reason code.
        public var rejected: [String: Int]

        /// Totals as given.
        public init(service: String, devices: Int, rewarded: Int, usageCredits: Amount, rejected: [String: Int]) {
            self.service = service
            self.devices = devices
            self.rewarded = rewarded
            self.usageCredits = usageCredits
            self.rejected = rejected
        }

        /// The totals of each service in `result`, sorted by service.
        public static func of(_ result: EpochResult) -> [ServiceTotals] {
            var totals: [String: ServiceTotals] = [:]
            for reward in result.devices {
                var line = totals[reward.service] ?? ServiceTotals(
                    service: reward.service, devices: 0, rewarded: 0, usageCredits: .zero, rejected: [:])
                line.devices += 1
                if reward.amount > .zero { line.rewarded += 1 }
                line.usageCredits = (try? line.usageCredits.adding(reward.usageCredits)) ?? line.usageCredits
                for (code, count) in reward.rejected { line.rejected[code, default: 0] += count }
                totals[reward.service] = line
            }
            return totals.values.sorted { $0.service < $1.service }
        }
    }

    /// The epoch in brief.
    public var summary: EpochSummary
    /// Its pools.
    public var pools: [EpochResult.Pool]
    /// Its services' totals, sorted by service.
    public var services: [ServiceTotals]

    /// A digest as given.
    public init(summary: EpochSummary, pools: [EpochResult.Pool], services: [ServiceTotals]) {
        self.summary = summary
        self.pools = pools
        self.services = services
    }

    /// Device reward lines in the epoch, all services.
    public var devices: Int { services.reduce(0) { $0 + $1.devices } }
}
