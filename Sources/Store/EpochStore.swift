import Core
import Foundation
import Ledger
import Rewards

/// What the epoch closer and the settlement routes need from persistence.
public protocol EpochStore: Sendable {
    /// Runs `body` (closing due epochs) while this node holds the epoch-closing lease among the
    /// nodes sharing the database, and returns its value; nil when another node holds it.
    func whileClosingEpochs<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T?

    /// The highest closed epoch, nil before the first close.
    func lastClosedEpoch() async throws -> Int64?

    /// Freezes `epoch`'s input before a close reads it: from here on the store refuses reports
    /// for it (`epoch_closed`) and counts new usage in a later epoch, so nothing acknowledged
    /// after the close has read the log is left out of it.
    func freezeEpoch(_ epoch: Int64) async throws

    /// The input of `epoch` over [startMs, endMs): the registry as the epoch ended, its report
    /// log, the burns in it, and what the previous epoch left.
    func epochInput(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> EpochInput

    /// The same without its report log (`reports` empty): what the node's close reads before it
    /// streams the log through `acceptedReports(for:)`.
    func epochInputWithoutReports(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> EpochInput

    /// The log of `epoch` over [startMs, endMs) grouped by the devices of its registry, as
    /// `EpochReportGrouping` counts it, read in log order without checking signatures again
    /// (every one was checked at ingest): the node's close, without holding the log as text.
    func acceptedReports(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> DeviceReports

    /// Records a closed epoch and its mints in one durable transaction. Closing an epoch that is
    /// already closed changes nothing and returns the stored result: an epoch is never paid twice.
    func commitEpoch(_ result: EpochResult, nowMs: Int64) async throws -> EpochResult

    /// A closed epoch.
    func epoch(_ epoch: Int64) async throws -> EpochResult?

    /// Closed epochs, newest first.
    func epochs(limit: Int) async throws -> [EpochSummary]
    /// A device's rewards in the given closed epochs (absent where it earned and sent nothing),
    /// without reading the epochs' whole results.
    func rewards(of device: Address, epochs: [Int64]) async throws -> [Int64: EpochResult.DeviceReward]

    /// A device's rewards in closed epoch `epoch`, or, when nil, in the `recent` last closed
    /// epochs, with the last closed epoch; nil when no such device is registered. One statement
    /// (two before the first close): the API's hot read of a device's earnings.
    func rewardHistory(of device: Address, epoch: Int64?, recent: Int) async throws -> DeviceRewardHistory?

    /// A closed epoch's summary, pools and per-service totals, kept when it committed.
    func digest(epoch: Int64) async throws -> EpochDigest?

    /// A page of a closed epoch's device rewards, largest first (ties by device), of one service
    /// or of all.
    func rewards(epoch: Int64, service: String?, offset: Int, limit: Int) async throws -> [EpochResult.DeviceReward]

    /// A payout address's claim as of a closed epoch, with its Merkle proof; nil when the
    /// address is not in the epoch's manifest.
    func claim(epoch: Int64, payout: EVMAddress) async throws -> PayoutClaim?

    /// A closed epoch's device rewards summed by the H3 cell (at `resolution`, 0 to 12) where each
    /// device stood when the epoch committed, by cell index.
    func rewardsByCell(epoch: Int64, resolution: Int) async throws -> [UInt64: Amount]

    /// The state `service` left after closed epoch `epoch`, if any.
    func serviceState(_ service: String, epoch: Int64) async throws -> Data?

    /// Customers' bounties for `service`, newest first: all, or those in force in `epoch`.
    func bounties(service: String, inForce epoch: Int64?, limit: Int) async throws -> [BountyRecord]

    /// Stores an oracle's signature of an epoch's root.
    func addSignature(epoch: Int64, oracle: Address, signature: String) async throws

    /// The oracle signatures of an epoch, by oracle address.
    func signatures(epoch: Int64) async throws -> [String: String]
}

/// One row of the epoch list.
public struct EpochSummary: Sendable, Equatable, Codable {
    /// The epoch.
    public var epoch: Int64
    /// Its window.
    public var startMs: Int64
    /// Its window's end.
    public var endMs: Int64
    /// Its emission.
    public var emission: Amount
    /// What it minted.
    public var minted: Amount
    /// What was burned in it.
    public var burned: Amount
    /// The manifest root.
    public var root: String
    /// When it closed.
    public var closedMs: Int64
    /// Oracle signatures so far.
    public var signatures: Int
}
