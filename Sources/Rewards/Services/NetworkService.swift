import Core
import Foundation
import Ledger

/// The service protocol: what the epoch engine asks of a network's service module, and nothing
/// more. A service reads its parameters from its genesis table, says which report types it
/// takes from which kinds, and scores an epoch's verified reports into per-device shares with
/// an explanation for each device.
public protocol NetworkService: Sendable {
    /// The service's name in the genesis (`[services.NAME]`).
    var name: String { get }
    /// Report types it takes, with the device kinds that may send each.
    var reportTypes: [String: Set<DeviceKind>] { get }
    /// Checks one report as it arrives, beyond what every report gets (signature, registry,
    /// window, nonce): nil when accepted, else a reason code the owner can look up.
    func validate(_ report: Report, kind: DeviceKind) -> String?

    /// Scores one epoch: a score for every device it considers, keyed by device.
    func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore]

    /// The credits each device earns for usage, given what customers paid it (by device
    /// address): a service can require the device's own reports to confirm the work.
    func confirmedUsage(_ epoch: ServiceEpoch, paid: [String: Amount]) -> [String: Amount]

    /// Closes one epoch: scores, confirmed usage, the state carried to the next epoch and
    /// refunds. A service with state across epochs (map freshness, streaks) overrides it.
    func close(_ epoch: ServiceEpoch) -> ServiceOutcome
}

extension NetworkService {
    /// Accepts every report; services with ingest-time rules override it.
    public func validate(_ report: Report, kind: DeviceKind) -> String? { nil }

    /// Every paid credit counts.
    public func confirmedUsage(_ epoch: ServiceEpoch, paid: [String: Amount]) -> [String: Amount] { paid }

    /// Scores and confirmed usage; no state, no refunds.
    public func close(_ epoch: ServiceEpoch) -> ServiceOutcome {
        ServiceOutcome(scores: score(epoch), usage: confirmedUsage(epoch, paid: epoch.paid))
    }
}

/// What a service sees of an epoch: its window, its devices and their verified reports.
public struct ServiceEpoch: Sendable {
    /// The epoch.
    public var epoch: Int64
    /// Its first millisecond.
    public var startMs: Int64
    /// The millisecond after its last.
    public var endMs: Int64
    /// The devices of the service's kinds, sorted by device.
    public var devices: [EpochInput.Device]
    /// Each device's verified reports of the epoch, in log order.
    public var reports: DeviceReports
    /// Credits customers paid each device (by address) in the epoch, before the service confirms them.
    public var paid: [String: Amount]
    /// The service's state after the previous epoch (empty before its first).
    public var state: Data
    /// Reports the node refused at ingest in the epoch, by device and reason code (signed by the
    /// device itself, so nobody can spoil another's record).
    public var refused: [Address: [String: Int]]
    /// Customers' bounties for this service in force in the epoch, with this epoch's credits.
    public var bounties: [AreaBounty]

    /// An epoch as a service sees it.
    public init(
        epoch: Int64, startMs: Int64, endMs: Int64, devices: [EpochInput.Device], reports: DeviceReports,
        paid: [String: Amount] = [:], state: Data = Data(), refused: [Address: [String: Int]] = [:],
        bounties: [AreaBounty] = []
    ) {
        self.epoch = epoch
        self.startMs = startMs
        self.endMs = endMs
        self.devices = devices
        self.reports = reports
        self.paid = paid
        self.state = state
        self.refused = refused
        self.bounties = bounties
    }
}

/// A device's score from one service: its shares and why.
public struct ServiceScore: Sendable, Equatable {
    /// Shares of the service's output pool.
    public var shares: UInt128
    /// Reports that counted.
    public var counted: Int
    /// Reports that did not count, by reason code.
    public var rejected: [String: Int]
    /// The multiplier applied, as a decimal string.
    public var multiplier: String

    /// A score.
    public init(shares: UInt128, counted: Int, rejected: [String: Int] = [:], multiplier: String = "1") {
        self.shares = shares
        self.counted = counted
        self.rejected = rejected
        self.multiplier = multiplier
    }
}
