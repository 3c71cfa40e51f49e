import Foundation
import StoreTestSupport
import Testing

/// `depin bench epoch --through-store` at a small size: a child process loads the store, and
/// the node's close (the log streamed by device) and the close of the input as served (the log
/// as hex) count every report and give the same root.
@Suite(.serialized) struct BenchEpochStoreTests {
    @Test func theStreamedCloseAndTheServedInputAgree() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-bench-epoch-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let size = ["--devices", "300", "--reports", "4"]
        let streamed = try DepinBinary.run(["bench", "epoch", "--through-store", directory] + size, in: NSTemporaryDirectory())
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout.contains("loading 300 devices and 1200 reports"), "\(streamed.stdout)")
        #expect(streamed.stdout.contains("reports counted: 1200"), "\(streamed.stdout)")
        #expect(streamed.stdout.contains("(300 manifest entries)"), "\(streamed.stdout)")
        let served = try DepinBinary.run(
            ["bench", "epoch", "--through-store", directory, "--text-log"] + size, in: NSTemporaryDirectory())
        #expect(served.status == 0, "\(served.stderr)")
        #expect(!served.stdout.contains("loading"), "the store was loaded once: \(served.stdout)")
        let root = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("root: ") }.map(String.init) }
        #expect(root(streamed.stdout) != nil)
        #expect(root(streamed.stdout) == root(served.stdout))
    }

    /// The same close from a new PostgreSQL schema (loaded by the child, dropped after): the
    /// same root as from SQLite.
    @Test func theCloseFromPostgreSQLGivesTheSameRoot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-bench-epoch-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let size = ["--devices", "300", "--reports", "4"]
        let sqlite = try DepinBinary.run(["bench", "epoch", "--through-store", directory] + size, in: NSTemporaryDirectory())
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        let postgres = try DepinBinary.run(
            ["bench", "epoch", "--through-store", directory, "--database-url", try TestPostgres.server.get()] + size,
            in: NSTemporaryDirectory())
        #expect(postgres.status == 0, "\(postgres.stderr)")
        #expect(postgres.stdout.contains("made for this run and dropped after"), "\(postgres.stdout)")
        #expect(postgres.stdout.contains("reports counted: 1200"), "\(postgres.stdout)")
        let root = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("root: ") }.map(String.init) }
        #expect(root(postgres.stdout) != nil)
        #expect(root(postgres.stdout) == root(sqlite.stdout))
    }
}
