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
}
