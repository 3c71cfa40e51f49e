import Core
import Foundation

extension TransactionRules {
    /// The most frames one job may have.
    public static let maxRenderFrames: UInt32 = 10_000
    /// The most Cycles samples per pixel a job may ask.
    public static let maxRenderSamples: UInt32 = 65_536

    /// A job's id: the first 16 hex digits of the SHA-256 of its signed transaction.
    public static func renderJobID(_ transaction: Transaction) -> String { escrowID(transaction) }

    /// Checks a render job's terms and returns its escrow: the network runs a service for
    /// render nodes; the scene is a SHA-256; the frames, samples, format and tier are in range;
    /// the price cap is positive.
    func renderJob(_ job: SubmitRenderJob, in transaction: Transaction) throws -> Escrow {
        guard let service = genesis.services.first(where: { $0.kinds.contains(.renderNode) }) else {
            throw TransactionError(.unknownService, "this network runs no rendering service")
        }
        guard job.sceneSha256.count == 64, job.sceneSha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw TransactionError(.invalidRenderJob, "scene_sha256 is 64 lower-case hex digits")
        }
        guard job.frameStart <= job.frameEnd, job.frameEnd - job.frameStart < Self.maxRenderFrames else {
            throw TransactionError(
                .invalidRenderJob, "the frames run from frame_start to frame_end inclusive, at most \(Self.maxRenderFrames) of them")
        }
        guard job.samples <= Self.maxRenderSamples else {
            throw TransactionError(.invalidRenderJob, "samples is at most \(Self.maxRenderSamples) (0 keeps the scene's)")
        }
        guard job.format == "PNG" else { throw TransactionError(.invalidRenderJob, "the output format is PNG") }
        guard ["priority", "economy"].contains(job.tier) else {
            throw TransactionError(.invalidRenderJob, "the tier is priority or economy")
        }
        let cap = try Self.positiveAmount(job.priceCapCredits)
        return Escrow(job: Self.renderJobID(transaction), service: service.name, credits: cap)
    }
}
