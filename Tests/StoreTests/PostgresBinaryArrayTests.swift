import Foundation
@testable import Store
import StoreTestSupport
import Testing

/// Array parameters written in PostgreSQL's binary format by hand (`PostgresBinaryArray`): the
/// server reads back each element whole and in order, empty ones and empty arrays included.
@Suite struct PostgresBinaryArrayTests {
    @Test func arraysBoundInBinaryComeBackWholeAndInOrder() async throws {
        let pool = try await PostgresPool(url: try TestPostgres.freshSchemaURL(), connections: 1)
        let blobs = [Data([0, 1, 0xFF]), Data(), Data(repeating: 7, count: 3_000)]
        let texts = ["heartbeat", "", "día ✓"]
        let integers: [Int64] = [0, -1, .max, .min, 42]
        @Sendable func unnest(as type: String) -> String {
            "SELECT v FROM unnest(?::\(type)[]) WITH ORDINALITY AS given (v, n) ORDER BY n"
        }
        let read = try await pool.read { db in
            (
                try db.rows(sql: unnest(as: "bytea"), arguments: SQLArguments([.blobs(blobs)])).map { $0.value(at: 0) },
                try db.rows(sql: unnest(as: "text"), arguments: SQLArguments([.texts(texts)])).map { $0.value(at: 0) },
                try db.rows(sql: unnest(as: "bigint"), arguments: SQLArguments([.integers(integers)]))
                    .map { $0.value(at: 0) },
                try db.rows(
                    sql: "SELECT cardinality(?::bigint[]), cardinality(?::bytea[]), cardinality(?::text[]), array_ndims(?::bigint[])",
                    arguments: SQLArguments([.integers([]), .blobs([]), .texts([]), .integers([1, 2])])
                ).first.map { (0..<4).map($0.value(at:)) }
            )
        }
        #expect(read.0 == blobs.map(SQLValue.blob))
        #expect(read.1 == texts.map(SQLValue.text))
        #expect(read.2 == integers.map(SQLValue.integer))
        #expect(read.3 == [.integer(0), .integer(0), .integer(0), .integer(1)])
        try await pool.close()
    }
}
