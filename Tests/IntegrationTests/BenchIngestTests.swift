import Foundation
import StoreTestSupport
import Testing

/// `depin bench ingest` end to end at a small size, on both databases: the load generator runs as
/// its own process, every report it sent is acknowledged and in the store (in both of its loads),
/// and the reads are measured. It checks what the benchmark does, not how fast: scripts/test.sh runs it apart from
/// the timing-sensitive integration tests, since it loads both cores for seconds.
@Suite(.serialized) struct BenchIngestTests {
    @Test(arguments: StoreEngine.allCases) func aSmallRunAcknowledgesAndStoresEveryReport(engine: StoreEngine) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-bench-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var arguments = ["bench", "ingest", "--devices", "100", "--reports", "2000", "--batch", "100", "--connections", "2"]
        if engine == .postgres { arguments += ["--database-url", try TestPostgres.server.get()] }
        let output = try DepinBinary.run(arguments, in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        let text = output.stdout
        #expect(text.contains("2000 of 2000 reports accepted"), "\(text)")
        #expect(text.contains("0 refused, 0 batches failed; 2000 reports in the store"), "\(text)")
        #expect(text.contains("signatures a second"), "\(text)")
        #expect(text.contains("during a second load (2000 of 2000 accepted"), "\(text)")
        for read in ["a device's rewards", "a proof", "an account"] {
            #expect(text.contains("   \(read) | "), "\(text)")
        }
        #expect(!text.contains("failed)"), "a hot read failed: \(text)")
        #expect(text.contains(engine == .postgres ? "made for this run and dropped after" : "SQLite"))
        // The share taken apart is printed, and multiplies back to the share (when the rest of a
        // report, sampled from the threads' CPU, came out above nothing).
        let share = try #require(
            text.firstMatch(of: try Regex(#"a second, ([0-9]+)% of the bound \("#))?.output[1].substring.flatMap { Double($0) })
        let parts = try #require(text.firstMatch(of: try Regex(#"the share is ([0-9.]+) \(.*\) × ([0-9.]+) \("#))?.output, "\(text)")
        let speed = try #require(parts[1].substring.flatMap { Double($0) })
        let rest = try #require(parts[2].substring.flatMap { Double($0) })
        if rest < 1 { #expect(abs(speed * rest - share / 100) <= 0.02, "\(text)") }
    }

    @Test func nonsenseSizesAreRefused() throws {
        let output = try DepinBinary.run(["bench", "ingest", "--devices", "1", "--connections", "4"], in: NSTemporaryDirectory())
        #expect(output.status != 0)
        #expect(output.stderr.contains("--devices at least --connections"))
    }
}
