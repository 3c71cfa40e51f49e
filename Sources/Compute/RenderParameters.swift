import Core
import Ledger

/// The rendering service's rules and prices, read from its genesis table (`[services.rendering]`).
/// docs/rendering.md explains each and where its default comes from.
public struct RenderParameters: Sendable, Equatable {
    /// How long a node holds a leased frame before it goes back to the queue, seconds.
    public var leaseSeconds: Int64 = 600
    /// A node's reputation when it first benchmarks (0 to 100).
    public var startReputation = 50
    /// The least reputation that gets work.
    public var minReputation = 20
    /// Reputation a node loses when a lease runs out.
    public var expiryPenalty = 10
    /// Reputation a node loses when its render is outvoted.
    public var rejectPenalty = 30
    /// Credits for one reference frame of work: a frame that takes a node as long as its
    /// benchmark render is worth this much at the priority tier.
    public var creditsPerReferenceFrame: Amount = Amount(100)
    /// The economy tier's price, percent of priority's.
    public var economyPercent: UInt128 = 50
    /// Two renders of a frame match when their pixels' PSNR is at least this, dB.
    public var matchPSNR: Double = 30
    /// The share of each node's frames re-rendered by another node, percent.
    public var verifyPercent = 10
    /// How long a frame drawn for verification waits for another node to verify it before it
    /// is settled on its first render, unverified, seconds.
    public var verifyWaitSeconds: Int64 = 600
    /// The chance, percent, that a node asking for work is given a benchmark check instead.
    public var benchmarkCheckPercent = 5
    /// How long a newly queued frame waits for an idle node of better standing, seconds.
    public var preferenceSeconds: Int64 = 10
    /// SHA-256 of the reference scene every benchmark renders; unset, the first benchmark the
    /// node records pins it.
    public var referenceScene: String?

    /// The defaults.
    public init() {}

    /// Keys the engine itself reads from every service table.
    static let engineKeys: Set<String> = ["usage_share_percent", "usage_capped_at_burn_value"]

    /// Reads `service`'s table; an unknown key or a value out of range is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        let table = service.parameters
        let prefix = "services.\(service.name)"
        let known: Set<String> = [
            "lease_s", "start_reputation", "min_reputation", "expiry_penalty", "reject_penalty", "credits_per_reference_frame",
            "economy_percent", "match_psnr_db", "verify_percent", "benchmark_check_percent", "preference_s", "verify_wait_s",
            "reference_scene_sha256",
        ]
        for key in table.keys where !known.contains(key) && !Self.engineKeys.contains(key) {
            throw GenesisError(
                line: table[key]?.line ?? table.line,
                "unknown key \(prefix).\(key); the rendering service reads \(known.sorted().joined(separator: ", "))")
        }
        func integer(_ key: String, _ range: ClosedRange<Int64>) throws(GenesisError) -> Int64? {
            guard let entry = table[key] else { return nil }
            guard case .integer(let value) = entry.value, range.contains(value) else {
                throw GenesisError(line: entry.line, "\(prefix).\(key) is an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        if let value = try integer("lease_s", 5...86_400) { leaseSeconds = value }
        if let value = try integer("start_reputation", 0...100) { startReputation = Int(value) }
        if let value = try integer("min_reputation", 0...100) { minReputation = Int(value) }
        if let value = try integer("expiry_penalty", 0...100) { expiryPenalty = Int(value) }
        if let value = try integer("reject_penalty", 0...100) { rejectPenalty = Int(value) }
        if let value = try integer("credits_per_reference_frame", 0...Int64.max) { creditsPerReferenceFrame = Amount(UInt128(value)) }
        if let value = try integer("economy_percent", 1...100) { economyPercent = UInt128(value) }
        if let value = try integer("match_psnr_db", 10...100) { matchPSNR = Double(value) }
        if let value = try integer("verify_percent", 0...100) { verifyPercent = Int(value) }
        if let value = try integer("benchmark_check_percent", 0...100) { benchmarkCheckPercent = Int(value) }
        if let value = try integer("preference_s", 0...3_600) { preferenceSeconds = value }
        if let value = try integer("verify_wait_s", 1...86_400) { verifyWaitSeconds = value }
        if let entry = table["reference_scene_sha256"] {
            guard case .string(let hash) = entry.value, hash.count == 64,
                hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
            else { throw GenesisError(line: entry.line, "\(prefix).reference_scene_sha256 is 64 lower-case hex digits") }
            referenceScene = hash
        }
    }

    /// Whether a benchmark check that took `elapsedMs` from lease to answer (as the node timed
    /// it) fits a claimed benchmark of `claimedMs`: half again the claim, plus 3 s for fetching
    /// and uploading.
    public func benchmarkCheckFits(claimedMs: Int64, elapsedMs: Int64) -> Bool {
        elapsedMs <= claimedMs + claimedMs / 2 + Self.benchmarkCheckSlackMs
    }

    /// Time a benchmark check may take beyond its render, for the scene fetch and the upload.
    public static let benchmarkCheckSlackMs: Int64 = 3_000

    /// What a frame costs: its work in reference frames (render time over the node's benchmark
    /// time) at the tier's price, floored to a whole credit.
    public func price(renderMs: Int64, benchmarkMs: Int64, tier: String) -> Amount {
        guard renderMs > 0, benchmarkMs > 0 else { return .zero }
        let percent: UInt128 = tier == "economy" ? economyPercent : 100
        let product = UInt128(renderMs).multipliedFullWidth(by: creditsPerReferenceFrame.units)
        guard product.high == 0 else { return Amount(.max) }
        let credits = product.low / UInt128(benchmarkMs)
        return Amount(credits.multipliedReportingOverflow(by: percent).overflow ? .max : credits * percent / 100)
    }
}
