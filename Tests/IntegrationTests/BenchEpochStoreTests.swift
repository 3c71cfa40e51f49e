import Foundation
import StoreTestSupport
import Testing

/// `depin bench epoch --through-store` at a small size: a child process loads the store, and
/// the node's close (the log streamed by device), the close of the input as served (the log as
/// hex), and the node's close from a new PostgreSQL schema (loaded by the child, dropped after)
/// count every report and give the same root; a schema the URL names is loaded once and kept.
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

    /// A schema the URL names is loaded by the first run and kept: the next closes from it without
    /// loading, to the same root; a run of another size is refused, and the schema is left as it was.
    @Test func aNamedSchemaIsLoadedOnceAndRefusedToAnotherSize() throws {
        let url = try TestPostgres.freshSchemaURL()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-bench-epoch-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try bench(["--through-store", directory, "--database-url", url])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("loading 300 devices and 1200 reports"), "\(first.stdout)")
        #expect(first.stdout.contains("(once)"), "\(first.stdout)")
        #expect(first.stdout.contains("reports counted: 1200"), "\(first.stdout)")

        let again = try bench(["--through-store", directory, "--database-url", url])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.contains("loading"), "the schema was loaded once: \(again.stdout)")
        #expect(again.stdout.contains("reports counted: 1200"), "\(again.stdout)")
        #expect(root(again.stdout) != nil)
        #expect(root(again.stdout) == root(first.stdout))

        let other = try DepinBinary.run(
            ["bench", "epoch", "--devices", "200", "--reports", "4", "--through-store", directory, "--database-url", url],
            in: NSTemporaryDirectory())
        #expect(other.status != 0)
        #expect(other.stderr.contains("the schema holds 300 devices and 1200 reports, not this bench's 200 and 800"), "\(other.stderr)")
        let after = try bench(["--through-store", directory, "--database-url", url])
        #expect(!after.stdout.contains("loading") && root(after.stdout) == root(first.stdout), "\(after.stdout)")
    }
}
