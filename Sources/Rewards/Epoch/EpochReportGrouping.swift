import Core
import Foundation

/// An epoch's report log grouped by device for its close, one report at a time in log order: a
/// report counts when it decodes, names a device of the epoch's registry (by a verifying
/// signature, or, for the node's own log whose signatures were checked at ingest, by the key it
/// names), and is timed inside the epoch. The engine groups an input's log this way, and the
/// node streams its stored log through it without holding the log as text.
public struct EpochReportGrouping: Sendable {
    /// The registry's devices by their raw keys: a report names its device by those bytes.
    private let known: [Data: Address]
    private let startMs: Int64
    private let endMs: Int64
    private let checkingSignatures: Bool
    /// The counted reports by device, in log order.
    public private(set) var byDevice: [Address: [Report]] = [:]

    /// A grouping for `input`'s registry and window.
    public init(input: EpochInput, checkingSignatures: Bool) {
        known = Dictionary(
            input.devices.map { ($0.id.publicKey.rawRepresentation, $0.id) }, uniquingKeysWith: { first, _ in first })
        startMs = input.startMs
        endMs = input.endMs
        self.checkingSignatures = checkingSignatures
    }

    /// Adds the next report of the log, as its signed bytes.
    public mutating func add(_ bytes: Data) {
        guard var report = try? Report(wireBytes: bytes), report.timestampMs >= startMs, report.timestampMs < endMs
        else { return }
        let device: Data
        if checkingSignatures {
            guard let key = try? report.verifySignature() else { return }
            device = key.rawRepresentation
        } else {
            device = report.device
        }
        guard let address = known[device] else { return }
        // Nothing after this check reads the signature, and a device's reports can share one copy
        // of its key: ten million reports held for a close are gigabytes, a third of it these.
        report.signature = Data()
        if let first = byDevice[address]?.first { report.device = first.device }
        byDevice[address, default: []].append(report)
    }
}
