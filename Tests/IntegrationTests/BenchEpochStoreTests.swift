import Foundation
import StoreTestSupport
import Testing

/// `depin bench epoch --through-store` at a small size: a child process loads the store, and
/// the node's close (the log streamed by device), the close of the input as served (the log as
/// hex), and the node's close from a new PostgreSQL schema (loaded by the child, dropped after)
/// count every report and give the same root.
@Suite(.serialized) struct BenchEpochStoreTests {
    /// Runs the bench at 300 devices and 4 reports each with `options`.
    func bench(_ options: [String]) throws -> DepinBinary.Output {
        try DepinBinary.run(["bench", "epoch", "--devices", "300", "--reports", "4"] + options, in: NSTemporaryDirectory())
    }

    /// The root a run printed.
    func root(_ text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("root: ") }.map(String.init)
    }

    @Test func everyWayOfClosingFromAStoreAgrees() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-bench-epoch-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let streamed = try bench(["--through-store", directory])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout.contains("loading 300 devices and 1200 reports"), "\(streamed.stdout)")
        #expect(streamed.stdout.contains("reports counted: 1200"), "\(streamed.stdout)")
        #expect(streamed.stdout.contains("(300 manifest entries)"), "\(streamed.stdout)")
        #expect(root(streamed.stdout) != nil)

        let served = try bench(["--through-store", directory, "--text-log"])
        #expect(served.status == 0, "\(served.stderr)")
        #expect(!served.stdout.contains("loading"), "the store was loaded once: \(served.stdout)")
        #expect(root(served.stdout) == root(streamed.stdout))

        let postgres = try bench(["--through-store", directory, "--database-url", try TestPostgres.server.get()])
        #expect(postgres.status == 0, "\(postgres.stderr)")
        #expect(postgres.stdout.contains("made for this run and dropped after"), "\(postgres.stdout)")
        // Vacuumed, analyzed and checkpointed before the timed close (the test server's user may).
        #expect(postgres.stdout.contains("settled the database first"), "\(postgres.stdout)")
        #expect(!postgres.stdout.contains("no checkpoint"), "\(postgres.stdout)")
        #expect(postgres.stdout.contains("reports counted: 1200"), "\(postgres.stdout)")
        #expect(root(postgres.stdout) == root(streamed.stdout))
    }
}
