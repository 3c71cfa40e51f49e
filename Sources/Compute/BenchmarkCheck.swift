import Core
import Store

/// Judges a benchmark check: a node asked, at random, to render its benchmark again with a
/// Cycles seed it could not know. The picture must be the benchmark's scene (PSNR at or above
/// `match_psnr_db` against the benchmark's picture) but not the benchmark's picture itself (a new
/// seed changes the noise, so identical pixels are a replay); and the check, timed by the node
/// from lease to answer, must fit the claimed benchmark. A wrong or replayed picture is fraud and
/// costs `reject_penalty` reputation. A node slower than it claimed may only be busy, so it
/// loses `expiry_penalty` and is held to the time the check took: its frames are priced by what
/// it really did, and the claim that paid it more is gone.
public struct BenchmarkCheck: Sendable {
    public var parameters: RenderParameters

    /// A judge under `parameters`.
    public init(parameters: RenderParameters) { self.parameters = parameters }

    /// What the check shows. `benchmark` is the node's benchmark picture (nil when it cannot be
    /// read, which fails the check).
    public func judge(
        node: RenderNode, seed: Int, askedMs: Int64, answeredMs: Int64, reportedMs: Int64, output: String, picture: PNGImage,
        benchmark: PNGImage?
    ) -> RenderBenchmarkCheck {
        let claimed = node.benchmarkMs
        let elapsed = max(answeredMs - askedMs, 1)
        var psnr: Double? = nil
        let verdict: RenderBenchmarkCheck.Verdict
        if let benchmark, let measured = try? FrameComparison.psnr(picture, benchmark) {
            psnr = measured.isFinite ? measured : nil
            if !measured.isFinite {
                verdict = .replayed
            } else if measured < parameters.matchPSNR {
                verdict = .wrongImage
            } else if !parameters.benchmarkCheckFits(claimedMs: claimed, elapsedMs: elapsed) {
                verdict = .slowerThanClaimed
            } else {
                verdict = .passed
            }
        } else {
            verdict = .wrongImage
        }
        return RenderBenchmarkCheck(
            device: node.device, seed: seed, askedMs: askedMs, answeredMs: answeredMs, claimedMs: claimed,
            reportedMs: reportedMs, output: output, psnr: psnr, verdict: verdict,
            benchmarkAfterMs: verdict == .slowerThanClaimed ? max(claimed, elapsed) : claimed,
            penalty: verdict == .passed ? 0 : verdict == .slowerThanClaimed ? parameters.expiryPenalty : parameters.rejectPenalty)
    }
}
