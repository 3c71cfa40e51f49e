import Core
import Foundation

/// An epoch's report log grouped by device for its close, one report at a time in log order: a
/// report counts when it decodes, names a device of the epoch's registry (by a verifying
/// signature, or, for the node's own log whose signatures were checked at ingest, by the key it
/// names), and is timed inside the epoch. The engine groups an input's log this way, and the
/// node streams its stored log through it without holding the log as text.
///
/// Ten million reports are most of a large close's time and memory, so a report costs one hash
/// lookup (its key's bytes to the device's place in the registry), its groups grow by a quarter
/// rather than doubling, and it keeps neither its signature nor a key of its own.
public struct EpochReportGrouping: Sendable {
    /// The registry's devices by their raw keys, to their places in `addresses`.
    private let known: [Data: Int]
    /// The registry's device addresses and raw keys, in registry order.
    private let addresses: [Address]
    private let keys: [Data]
    private let startMs: Int64
    private let endMs: Int64
    private let checkingSignatures: Bool
    /// Each registry device's counted reports, in log order.
    private var groups: [[Report]]

    /// A grouping for `input`'s registry and window.
    public init(input: EpochInput, checkingSignatures: Bool) {
        var known: [Data: Int] = [:]
        known.reserveCapacity(input.devices.count)
        var addresses: [Address] = []
        var keys: [Data] = []
        addresses.reserveCapacity(input.devices.count)
        keys.reserveCapacity(input.devices.count)
        for device in input.devices {
            let raw = device.id.publicKey.rawRepresentation
            guard known[raw] == nil else { continue }
            known[raw] = addresses.count
            addresses.append(device.id)
            keys.append(raw)
        }
        self.known = known
        self.addresses = addresses
        self.keys = keys
        groups = Array(repeating: [], count: addresses.count)
        startMs = input.startMs
        endMs = input.endMs
        self.checkingSignatures = checkingSignatures
    }

    /// Adds the next report of the log, as its signed bytes.
    public mutating func add(_ bytes: Data) {
        guard var report = try? Report(wireBytes: bytes), report.timestampMs >= startMs, report.timestampMs < endMs
        else { return }
        let place: Int?
        if checkingSignatures {
            guard let key = try? report.verifySignature() else { return }
            place = known[key.rawRepresentation]
        } else {
            place = known[report.device]
        }
        guard let place else { return }
        // Nothing after this check reads the signature, and every report of a device can share
        // the registry's copy of its key.
        report.signature = Data()
        report.device = keys[place]
        let count = groups[place].count
        if count == groups[place].capacity { groups[place].reserveCapacity(count + count / 4 + 2) }
        groups[place].append(report)
    }

    /// The counted reports by device, in log order; devices with none are absent.
    public var byDevice: [Address: [Report]] {
        var byDevice: [Address: [Report]] = [:]
        byDevice.reserveCapacity(groups.count)
        for (place, reports) in groups.enumerated() where !reports.isEmpty {
            byDevice[addresses[place]] = reports
        }
        return byDevice
    }
}
