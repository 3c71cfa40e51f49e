import Core

/// A benchmark check answered: the node rendered its benchmark again, with a Cycles seed it
/// could not know, inside a lease the node timed. What the node found, and what it did about it.
public struct RenderBenchmarkCheck: Sendable, Equatable, Codable {
    /// The verdicts: the render matched and came in time; it did not match the benchmark's
    /// picture; it was the benchmark's picture again, pixel for pixel (a replay, not a render);
    /// it took more than the claimed benchmark allows.
    public enum Verdict: String, Sendable, Codable {
        case passed
        case wrongImage = "wrong_image"
        case replayed
        case slowerThanClaimed = "slower_than_claimed"
    }

    public var device: Address
    /// The Cycles seed asked for.
    public var seed: Int
    public var askedMs: Int64
    public var answeredMs: Int64
    /// The benchmark the node claimed before the check.
    public var claimedMs: Int64
    /// The render time the node reported for the check.
    public var reportedMs: Int64
    /// SHA-256 of the check's PNG.
    public var output: String
    /// PSNR against the benchmark's picture, dB; nil when identical or unreadable.
    public var psnr: Double?
    public var verdict: Verdict
    /// The node's benchmark after the check: a node slower than it claimed is held to the time
    /// the check took.
    public var benchmarkAfterMs: Int64
    /// Reputation lost (0 when passed).
    public var penalty: Int

    /// A check's outcome.
    public init(
        device: Address, seed: Int, askedMs: Int64, answeredMs: Int64, claimedMs: Int64, reportedMs: Int64, output: String,
        psnr: Double?, verdict: Verdict, benchmarkAfterMs: Int64, penalty: Int
    ) {
        self.device = device
        self.seed = seed
        self.askedMs = askedMs
        self.answeredMs = answeredMs
        self.claimedMs = claimedMs
        self.reportedMs = reportedMs
        self.output = output
        self.psnr = psnr
        self.verdict = verdict
        self.benchmarkAfterMs = benchmarkAfterMs
        self.penalty = penalty
    }
}
