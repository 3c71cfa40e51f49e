import Core
import Foundation

/// One device's counted reports of an epoch, kept as their wire bytes without the key and the
/// signature (a heartbeat is then some fifteen bytes), each behind its length, in log order.
/// They are decoded when a service reads them, and given the device's key back.
public struct PackedReports: Sendable {
    /// The device's raw key, shared by its reports.
    public let device: Data
    private var bytes: [UInt8] = []
    /// How many reports are packed.
    public private(set) var count = 0

    /// An empty pack for `device`.
    public init(device: Data) {
        self.device = device
    }

    /// Packs one report: `fields` of `wire` (its fields but the key and the signature).
    mutating func append(_ wire: UnsafeRawBufferPointer, fields: [Range<Int>]) {
        let length = fields.reduce(0) { $0 + $1.count }
        if bytes.count + length + 5 > bytes.capacity {
            bytes.reserveCapacity(bytes.count + bytes.count / 4 + length + 5)
        }
        var remaining = UInt64(length)
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
        for field in fields { bytes.append(contentsOf: wire[field]) }
        count += 1
    }

    /// The reports, decoded, each with the device's key; any that does not decode is left out.
    public var reports: [Report] {
        var reports: [Report] = []
        reports.reserveCapacity(count)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let length = ReportWire.varint(buffer, &offset) {
                let end = offset + Int(length)
                let slice = UnsafeRawBufferPointer(rebasing: buffer[offset..<end])
                offset = end
                let wire =
                    slice.isEmpty
                    ? Data() : Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: slice.baseAddress!), count: slice.count, deallocator: .none)
                guard var report = try? Report(wireBytes: wire) else { continue }
                report.device = device
                reports.append(report)
            }
        }
        return reports
    }
}
