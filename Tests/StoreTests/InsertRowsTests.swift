import Foundation
import StoreTestSupport
import Testing

@testable import Store

/// Bulk inserts: one statement a row on SQLite, multi-row statements in chunks on PostgreSQL; the
/// same rows either way.
@Suite struct InsertRowsTests {
    @Test func aOneRowInsertIsTakenApartAroundItsTuple() throws {
        let shape = try InsertShape(
            "INSERT INTO t (a, b) VALUES (?, (SELECT c FROM u WHERE d = ')' AND e = ?)) ON CONFLICT (a) DO NOTHING")
        #expect(shape.tuple == "(?, (SELECT c FROM u WHERE d = ')' AND e = ?))")
        #expect(
            shape.sql(rows: 2)
                == "INSERT INTO t (a, b) VALUES (?, (SELECT c FROM u WHERE d = ')' AND e = ?)), (?, (SELECT c FROM u WHERE d = ')' AND e = ?)) ON CONFLICT (a) DO NOTHING"
        )
        #expect(throws: StoreError.self) { try InsertShape("DELETE FROM t") }
    }

    @Test(arguments: StoreEngine.allCases) func rowsAcrossSeveralChunksAllArrive(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        // 2,345 rows of two values: three chunks on PostgreSQL (1,000 rows each at most).
        let rows: [SQLArguments] = (0..<2_345).map { ["row-\($0)", "value \($0 * 7)"] }
        try await store.writer.write { db in
            try db.insertRows(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", rows: rows)
        }
        let stored = try await store.writer.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key LIKE 'row-%'")
        }
        #expect(stored.count == 2_345)
        let values = Dictionary(uniqueKeysWithValues: stored.map { ($0["key"] as String, $0["value"] as String) })
        #expect(values["row-0"] == "value 0" && values["row-2344"] == "value 16408" && values["row-1000"] == "value 7000")
        try await store.close()
    }

    /// A scan of more rows than a cursor page brings (PostgreSQL reads through a cursor), with an
    /// argument: every row, in order.
    @Test(arguments: StoreEngine.allCases) func aBlobScanReadsPastACursorPage(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let count = PostgresSession.scanPage + 1_234
        let rows: [SQLArguments] = (0..<count).map { [String(format: "scan-%06d", $0), "v\($0)"] }
        try await store.writer.write { db in
            try db.insertRows(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", rows: rows)
        }
        let read = try await store.writer.read { db in
            var values: [String] = []
            let blob = db.dialect == .postgres ? "convert_to(value, 'UTF8')" : "CAST(value AS BLOB)"
            try db.scanBlobs(
                sql: "SELECT \(blob) FROM meta WHERE key LIKE ? ORDER BY key", arguments: ["scan-%"]
            ) { values.append(String(decoding: $0, as: UTF8.self)) }
            return values
        }
        #expect(read.count == count)
        #expect(read.first == "v0" && read.last == "v\(count - 1)" && read[PostgresSession.scanPage] == "v\(PostgresSession.scanPage)")

        // A visit that throws, with the next page asked for already: the error reaches the
        // caller, and the connection serves the next read.
        struct Stop: Error {}
        await #expect(throws: Stop.self) {
            try await store.writer.read { db in
                let blob = db.dialect == .postgres ? "convert_to(value, 'UTF8')" : "CAST(value AS BLOB)"
                try db.scanBlobs(sql: "SELECT \(blob) FROM meta WHERE key LIKE ? ORDER BY key", arguments: ["scan-%"]) { _ in
                    throw Stop()
                }
            }
        }
        for _ in 0..<8 {
            let counted = try await store.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM meta WHERE key LIKE ?", arguments: ["scan-%"])
            }
            #expect(counted == count)
        }
        try await store.close()
    }
}
