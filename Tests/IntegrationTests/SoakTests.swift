import Foundation
import Testing

/// `depin bench soak` for a minute: the demo's devices of every kind against one node, its heap
/// flat after the first quarter, the hot reads' p99 bounded, every acknowledged report in the
/// log at every sample, and the closed epochs and the ledger recomputed after. The ten-minute
/// run is the same command with its default `--minutes 10` (docs/security.md).
@Suite(.serialized) struct SoakTests {
    @Test func aMinuteUnderDevicesOfEveryKindLosesNothingAndStaysFlat() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-soak-test-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try DepinBinary.run(
            ["bench", "soak", "--minutes", "1", "--sample-seconds", "5", "--devices", "40", "--epoch-seconds", "5"],
            in: directory)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr.suffix(3_000))")
        for claim in ["ok: memory flat", "ok: latency bounded", "ok: nothing lost", "ok: epochs verify", "ok: the ledger verifies"] {
            #expect(run.stdout.contains(claim), "\(claim) missing from:\n\(run.stdout)")
        }
        let samples = run.stdout.split(separator: "\n").filter { $0.contains(" | ") && !$0.hasPrefix("minute") }
        #expect(samples.count >= 10, "\(samples.count) samples")
    }
}
