import Core
import Foundation

/// One accepted report in the append-only report log, kept verbatim.
public struct ReportRecord: Sendable, Equatable {
    /// Its position in the log, from 1.
    public var id: Int64
    /// The device that signed it.
    public var device: PublicKey
    /// Its nonce.
    public var nonce: UInt64
    /// When the device made it.
    public var timestampMs: Int64
    /// When the node stored it.
    public var receivedMs: Int64
    /// Its type, e.g. "heartbeat".
    public var type: String
    /// The epoch its timestamp falls in.
    public var epoch: Int64
    /// The report's canonical bytes, signature included.
    public var bytes: Data
}

/// A report whose signature and type were checked, ready for the store's registry checks.
public struct VerifiedReport: Sendable {
    /// The decoded report.
    public var report: Report
    /// The signing device.
    public var device: PublicKey
    /// Its type name.
    public var type: String
    /// The epoch it falls in.
    public var epoch: Int64

    /// A checked report.
    public init(report: Report, device: PublicKey, type: String, epoch: Int64) {
        self.report = report
        self.device = device
        self.type = type
        self.epoch = epoch
    }
}

/// The store's verdict on one report of a batch.
public enum ReportVerdict: Sendable, Equatable {
    /// Stored at this log position.
    case accepted(id: Int64)
    /// Refused, with a reason code and a sentence.
    case rejected(code: String, message: String)
}
