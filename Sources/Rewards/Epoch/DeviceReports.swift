import Core
import Foundation

/// An epoch's counted reports by device, as the services read them: `reports[device]`, in log
/// order. Made from a dictionary (a simulator's reports) or packed by `EpochReportGrouping` from
/// a log, in which case a device's reports are decoded each time they are read.
public struct DeviceReports: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    private var decoded: [Address: [Report]]
    private var packed: [Address: PackedReports]

    /// Reports already decoded, by device.
    public init(_ decoded: [Address: [Report]]) {
        self.decoded = decoded
        packed = [:]
    }

    /// Packed reports, by device.
    init(packed: [Address: PackedReports]) {
        decoded = [:]
        self.packed = packed
    }

    public init(dictionaryLiteral elements: (Address, [Report])...) {
        self.init(Dictionary(elements, uniquingKeysWith: { first, _ in first }))
    }

    /// A device's reports, nil when it has none.
    public subscript(device: Address) -> [Report]? {
        if let reports = decoded[device] { return reports }
        return packed[device].map(\.reports)
    }

    /// The devices with reports, in no particular order.
    public var devices: [Address] { Array(decoded.keys) + Array(packed.keys) }

    /// Takes a device's reports out; nil when it had none.
    public mutating func remove(_ device: Address) -> [Report]? {
        if let reports = decoded.removeValue(forKey: device) { return reports }
        return packed.removeValue(forKey: device)?.reports
    }

    /// All of them, decoded, by device.
    public var dictionary: [Address: [Report]] {
        var all = decoded
        for (device, pack) in packed { all[device] = pack.reports }
        return all
    }

    public func makeIterator() -> some IteratorProtocol<(device: Address, reports: [Report])> {
        var devices = self.devices.makeIterator()
        let reports = self
        return AnyIterator { devices.next().map { ($0, reports[$0] ?? []) } }
    }
}
