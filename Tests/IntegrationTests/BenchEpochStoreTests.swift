import Foundation
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
}
