import Core
import Foundation

/// An epoch's report log grouped by device for its close, one report at a time in log order: a
/// report counts when it decodes, names a device of the epoch's registry (by a verifying
/// signature, or, for the node's own log whose signatures were checked at ingest, by the key it
/// names), and is timed inside the epoch. The engine groups an input's log this way, and the
/// node streams its stored log through it without holding the log as text.
public struct EpochReportGrouping: Sendable {
    private let known: Set<Address>
    private let startMs: Int64
    private let endMs: Int64
    private let checkingSignatures: Bool
    /// The counted reports by device, in log order.
    public private(set) var byDevice: [Address: [Report]] = [:]

    /// A grouping for `input`'s registry and window.
    public init(input: EpochInput, checkingSignatures: Bool) {
        known = Set(input.devices.map(\.id))
        startMs = input.startMs
        endMs = input.endMs
        self.checkingSignatures = checkingSignatures
    }

    /// Adds the next report of the log, as its signed bytes.
    public mutating func add(_ bytes: Data) {
        guard var report = try? Report(wireBytes: bytes),
            let key = checkingSignatures
                ? try? report.verifySignature() : try? PublicKey(rawRepresentation: report.device),
            known.contains(key.address), report.timestampMs >= startMs, report.timestampMs < endMs
        else { return }
        // Nothing after this check reads the signature, and a device's reports can share one copy
        // of its key: ten million reports held for a close are gigabytes, a third of it these.
        report.signature = Data()
        if let first = byDevice[key.address]?.first { report.device = first.device }
        byDevice[key.address, default: []].append(report)
    }
}
