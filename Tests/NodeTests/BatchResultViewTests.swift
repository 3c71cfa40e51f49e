import Foundation
import Testing

@testable import Node

/// A batch's answer, written by hand: the same JSON the encoder the other routes use writes.
@Suite struct BatchResultViewTests {
    func encoded(_ view: BatchResultView) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(view)
    }

    @Test func itIsTheEncodersTextForAnOrdinaryBatch() throws {
        let view = BatchResultView(
            accepted: 2, rejected: 1,
            results: [
                ReportResultView(index: 0, status: "accepted", id: 41),
                ReportResultView(index: 1, status: "rejected", error: "replayed_nonce", message: "nonce 3 is not above the last accepted 7"),
                ReportResultView(index: 2, status: "accepted", id: 9_000_000_000),
            ])
        #expect(String(decoding: view.json(), as: UTF8.self) == String(decoding: try encoded(view), as: UTF8.self))
        let empty = BatchResultView(accepted: 0, rejected: 0, results: [])
        #expect(view.json() != empty.json())
        #expect(String(decoding: empty.json(), as: UTF8.self) == String(decoding: try encoded(empty), as: UTF8.self))
    }

    @Test func awkwardTextReadsBackTheSame() throws {
        let message = "a \"quoted\" path/with\\slashes, a tab\t, a line\nbreak, é, ✓ and \u{01}\u{1F}"
        let view = BatchResultView(
            accepted: 0, rejected: 1, results: [ReportResultView(index: 0, status: "rejected", error: "odd\"code", message: message)])
        let mine = try JSONSerialization.jsonObject(with: Data(view.json())) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: try encoded(view)) as? NSDictionary
        #expect(mine != nil && mine == theirs)
        let result = (mine?["results"] as? [[String: Any]])?.first
        #expect(result?["message"] as? String == message)
        #expect(result?["error"] as? String == "odd\"code")
    }
}
