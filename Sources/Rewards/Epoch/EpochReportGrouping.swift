import Core
import Foundation

/// An epoch's report log grouped by device for its close, one report at a time in log order: a
/// report counts when it decodes, names a device of the epoch's registry (by a verifying
/// signature, or, for the node's own log whose signatures were checked at ingest, by the key it
/// names), and is timed inside the epoch. The engine groups an input's log this way, and the
/// node streams its stored log through it without holding the log as text.
///
/// Ten million reports are most of a large close's time and memory. So the node's own log is
/// read at the wire's top level only (`ReportWire`: the key, the time, the other fields), a
/// report costs one look-up of its key, and it is kept packed, without its key and signature,
/// until a service reads it (`PackedReports`). A report that does not decode is left out when
/// it is read, as it would be here.
public struct EpochReportGrouping: Sendable {
    /// The registry's devices by their raw keys, to their places in `addresses`.
    private let known: [DeviceKeyBytes: Int]
    /// The registry's device addresses, in registry order.
    private let addresses: [Address]
    private let startMs: Int64
    private let endMs: Int64
    private let checkingSignatures: Bool
    /// Each registry device's counted reports, in log order.
    private var groups: [PackedReports]

    /// A grouping for `input`'s registry and window.
    public init(input: EpochInput, checkingSignatures: Bool) {
        self.init(
            keys: input.devices.map(\.id.publicKey.rawRepresentation), startMs: input.startMs, endMs: input.endMs,
            checkingSignatures: checkingSignatures)
    }

    /// A grouping for the devices with these raw keys (the registry's, read on their own so that
    /// the log can be read beside the rest of the registry) and the window [startMs, endMs).
    public init(keys: [Data], startMs: Int64, endMs: Int64, checkingSignatures: Bool) {
        var known: [DeviceKeyBytes: Int] = [:]
        known.reserveCapacity(keys.count)
        var addresses: [Address] = []
        var groups: [PackedReports] = []
        addresses.reserveCapacity(keys.count)
        groups.reserveCapacity(keys.count)
        for raw in keys {
            guard let key = DeviceKeyBytes(raw), known[key] == nil, let publicKey = try? PublicKey(rawRepresentation: raw)
            else { continue }
            known[key] = addresses.count
            addresses.append(publicKey.address)
            groups.append(PackedReports(device: publicKey.rawRepresentation))
        }
        self.known = known
        self.addresses = addresses
        self.groups = groups
        self.startMs = startMs
        self.endMs = endMs
        self.checkingSignatures = checkingSignatures
    }

    /// Adds the next report of the log, as its signed bytes.
    public mutating func add(_ bytes: Data) {
        bytes.withUnsafeBytes { add(wire: $0) }
    }

    /// Adds the next report of the log, its signed bytes in place (copied only if counted).
    public mutating func add(wire: UnsafeRawBufferPointer) {
        if !checkingSignatures, let fields = ReportWire.fields(wire) {
            guard fields.timestampMs >= startMs, fields.timestampMs < endMs,
                let key = DeviceKeyBytes(UnsafeRawBufferPointer(rebasing: wire[fields.device])),
                let place = known[key]
            else { return }
            groups[place].append(wire, fields: fields.kept)
        } else {
            addDecoding(Data(wire))
        }
    }

    /// The whole decoder's way, for a log whose signatures are checked here, and for bytes the
    /// wire reader does not take.
    private mutating func addDecoding(_ bytes: Data) {
        guard var report = try? Report(wireBytes: bytes), report.timestampMs >= startMs, report.timestampMs < endMs
        else { return }
        let device: Data
        if checkingSignatures {
            guard let key = try? report.verifySignature() else { return }
            device = key.rawRepresentation
        } else {
            device = report.device
        }
        guard let key = DeviceKeyBytes(device), let place = known[key] else { return }
        report.device = Data()
        report.signature = Data()
        let stripped = report.canonicalBytes
        stripped.withUnsafeBytes { groups[place].append($0, fields: [0..<$0.count]) }
    }

    /// The counted reports by device, in log order; devices with none are absent.
    public var byDevice: DeviceReports {
        var packed: [Address: PackedReports] = [:]
        packed.reserveCapacity(groups.count)
        for (place, group) in groups.enumerated() where group.count > 0 {
            packed[addresses[place]] = group
        }
        return DeviceReports(packed: packed)
    }
}
