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
    /// Seconds between audit rounds (each audits one random piece on every storage node that
    /// holds any) and repair passes.
    public var auditIntervalSeconds: Int64 = 300
    /// How long a storage node has to answer an audit, seconds.
    public var auditTimeoutSeconds: Int64 = 10
    /// The audit reputation's Beta model (Storj's): on a pass α′ = λα + w, β′ = λβ; on a failure
    /// α′ = λα, β′ = λβ + w; the score is α / (α + β).
    public var auditLambda = 0.999
    public var auditWeight = 1.0
    /// A new storage node's α (β starts at 0).
    public var auditInitialAlpha = 1_000.0
    /// A storage node whose score falls below this is disqualified: no new pieces, and its
    /// pieces are repaired elsewhere.
    public var disqualifyBelow = 0.96
    /// What a customer pays, in credits, to keep 1 GB (10⁹ bytes) for a month of 30 days: 400,
    /// Storj's $4 per TB-month at $0.00001 a credit.
    public var creditsPerGBMonth: Int64 = 400
    /// What a customer pays, in credits, for 1 GB downloaded: 700, Storj's $7 per TB of egress.
    public var creditsPerGBEgress: Int64 = 700

    /// The defaults.
    public init() {}

    /// Reads `service`'s table; an unknown key or a value out of range is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        let known: Set<String> = [
            "data_pieces", "total_pieces", "repair_threshold", "segment_bytes", "audit_interval_s", "audit_timeout_s", "audit_lambda",
            "audit_weight", "audit_initial_alpha", "disqualify_below", "credits_per_gb_month", "credits_per_gb_egress",
        ]
        let reader = try ServiceParameterReader(service, known: known, what: "storage service")
        func integer(_ key: String, _ range: ClosedRange<Int64>) throws(GenesisError) -> Int? { try reader.integer(key, range).map { Int($0) } }
        let number = reader.number
        let (table, prefix) = (reader.table, reader.prefix)
        if let value = try integer("data_pieces", 1...255) { dataPieces = value }
        if let value = try integer("total_pieces", 1...255) { totalPieces = value }
        if let value = try integer("segment_bytes", 4_096...(1 << 30)) { segmentBytes = value }
        if let value = try integer("audit_interval_s", 1...86_400) { auditIntervalSeconds = Int64(value) }
        if let value = try integer("audit_timeout_s", 1...600) { auditTimeoutSeconds = Int64(value) }
        if let value = try number("audit_lambda", 0.5...1) { auditLambda = value }
        if let value = try number("audit_weight", 0.001...1_000) { auditWeight = value }
        if let value = try number("audit_initial_alpha", 0...1_000_000) { auditInitialAlpha = value }
        if let value = try number("disqualify_below", 0...1) { disqualifyBelow = value }
        if let value = try integer("credits_per_gb_month", 0...1_000_000_000) { creditsPerGBMonth = Int64(value) }
        if let value = try integer("credits_per_gb_egress", 0...1_000_000_000) { creditsPerGBEgress = Int64(value) }
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
