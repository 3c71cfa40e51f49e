import Compute
import Core
import Foundation
import Store
import Testing

/// A benchmark check's verdicts: a fresh render of the benchmark passes in time, the benchmark's
/// own picture is a replay, another picture is wrong, and a node slower than it claimed is held
/// to the time the check took.
@Suite struct BenchmarkCheckTests {
    static let benchmark = PNGImage(width: 16, height: 16, rgba: (0..<1024).map { UInt8($0 % 4 == 3 ? 255 : ($0 * 7) % 251) })

    /// The benchmark picture with sampling noise: every pixel's red nudged by ±2.
    static var noisy: PNGImage {
        var rgba = benchmark.rgba
        for index in stride(from: 0, to: rgba.count, by: 8) { rgba[index] = rgba[index] > 2 ? rgba[index] - 2 : rgba[index] + 2 }
        return PNGImage(width: 16, height: 16, rgba: rgba)
    }

    /// A node claiming a 4 s benchmark, holding a check with seed 7 asked at 1 s.
    static let node = try! JSONDecoder().decode(
        RenderNode.self,
        from: Data(
            """
            {"device": "\(SigningKey().address)", "benchmarkMs": 4000, "renderer": "test", "reputation": 50, "verified": 0,
             "failed": 0, "leases": 3, "checkDue": false, "checkSeed": 7, "checkAskedMs": 1000, "checkUntilMs": 601000,
             "checksPassed": 0, "checksFailed": 0}
            """.utf8))

    func judge(_ picture: PNGImage, answeredMs: Int64) -> RenderBenchmarkCheck {
        var parameters = RenderParameters()
        parameters.rejectPenalty = 25
        parameters.expiryPenalty = 5
        return BenchmarkCheck(parameters: parameters).judge(
            node: Self.node, seed: 7, askedMs: 1_000, answeredMs: answeredMs, reportedMs: 3_900, output: "x", picture: picture,
            benchmark: Self.benchmark)
    }

    @Test func aFreshRenderInTimePasses() {
        // 4 s claimed: up to 6 s plus 3 s of slack from lease to answer.
        let check = judge(Self.noisy, answeredMs: 1_000 + 9_000)
        #expect(check.verdict == .passed && check.penalty == 0 && check.benchmarkAfterMs == 4_000)
        #expect((check.psnr ?? 0) > 40)
    }

    @Test func theBenchmarksOwnPictureIsAReplay() {
        let check = judge(Self.benchmark, answeredMs: 5_000)
        #expect(check.verdict == .replayed && check.penalty == 25 && check.psnr == nil)
    }

    @Test func anotherPictureIsWrong() {
        let other = PNGImage(width: 16, height: 16, rgba: Self.benchmark.rgba.map { 255 - $0 })
        #expect(judge(other, answeredMs: 5_000).verdict == .wrongImage)
        #expect(judge(PNGImage(width: 2, height: 2, rgba: [UInt8](repeating: 0, count: 16)), answeredMs: 5_000).verdict == .wrongImage)
    }

    @Test func aNodeSlowerThanItClaimedIsHeldToTheCheck() {
        let check = judge(Self.noisy, answeredMs: 1_000 + 9_001)
        #expect(check.verdict == .slowerThanClaimed && check.benchmarkAfterMs == 9_001 && check.penalty == 5)
    }
}
