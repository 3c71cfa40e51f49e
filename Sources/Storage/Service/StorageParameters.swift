import Core
import Ledger

/// The storage service's rules, read from its genesis table (`[services.storage]`). The defaults
/// are Storj's published Reed-Solomon scheme (29 of 80, repaired below 52) and segment size
/// (64 MiB); docs/storage.md explains each.
public struct StorageParameters: Sendable, Equatable {
    /// Pieces any segment rebuilds from (k).
    public var dataPieces = 29
    /// Pieces each segment is coded into, each on its own storage node (n).
    public var totalPieces = 80
    /// A segment with fewer healthy pieces than this is repaired.
    public var repairThreshold = 52
    /// The most bytes of an object in one segment.
    public var segmentBytes = 64 << 20

    /// The defaults.
    public init() {}

    /// Keys the engine and the uptime score read from every service table.
    static let sharedKeys: Set<String> = ["usage_share_percent", "usage_capped_at_burn_value", "heartbeat_interval_s"]

    /// Reads `service`'s table; an unknown key or a value out of range is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        let table = service.parameters
        let prefix = "services.\(service.name)"
        let known: Set<String> = ["data_pieces", "total_pieces", "repair_threshold", "segment_bytes"]
        for key in table.keys where !known.contains(key) && !Self.sharedKeys.contains(key) {
            throw GenesisError(
                line: table[key]?.line ?? table.line,
                "unknown key \(prefix).\(key); the storage service reads \(known.sorted().joined(separator: ", "))")
        }
        func integer(_ key: String, _ range: ClosedRange<Int64>) throws(GenesisError) -> Int? {
            guard let entry = table[key] else { return nil }
            guard case .integer(let value) = entry.value, range.contains(value) else {
                throw GenesisError(line: entry.line, "\(prefix).\(key) is an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return Int(value)
        }
        if let value = try integer("data_pieces", 1...255) { dataPieces = value }
        if let value = try integer("total_pieces", 1...255) { totalPieces = value }
        if let value = try integer("segment_bytes", 4_096...(1 << 30)) { segmentBytes = value }
        repairThreshold = try integer("repair_threshold", 1...255) ?? max(dataPieces, min(repairThreshold, totalPieces))
        guard dataPieces <= totalPieces else {
            throw GenesisError(line: table.line, "\(prefix): data_pieces (\(dataPieces)) is more than total_pieces (\(totalPieces))")
        }
        guard (dataPieces...totalPieces).contains(repairThreshold) else {
            throw GenesisError(
                line: table["repair_threshold"]?.line ?? table.line,
                "\(prefix).repair_threshold is between data_pieces (\(dataPieces)) and total_pieces (\(totalPieces))")
        }
    }

    /// The erasure code these parameters name.
    public var code: ErasureCode { try! ErasureCode(k: dataPieces, n: totalPieces) }
}
