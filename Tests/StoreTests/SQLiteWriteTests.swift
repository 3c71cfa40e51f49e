import Foundation
import Testing

@testable import Store

/// Writes through SQLite's C API (`SQLiteWrite`): what is bound is what is stored, a failing
/// statement throws and its transaction leaves nothing, and the statement runs again after.
@Suite struct SQLiteWriteTests {
    @Test func onlyRowWritesGoThisWay() {
        #expect(SQLiteWrite.applies(to: "INSERT INTO t VALUES (?)"))
        #expect(SQLiteWrite.applies(to: "\n    update t SET a = ?"))
        #expect(SQLiteWrite.applies(to: "Delete FROM t"))
        #expect(!SQLiteWrite.applies(to: "SELECT 1"))
        #expect(!SQLiteWrite.applies(to: "CREATE TABLE t (a)"))
        #expect(!SQLiteWrite.applies(to: "INSERTX"))
        #expect(!SQLiteWrite.applies(to: ""))
    }

    @Test func everyValueTypeIsStoredAsBound() async throws {
        let store = try SQLNetworkStore()
        let bound: [SQLValue] = [.integer(-7), .real(2.5), .text("héllo"), .blob(Data([0, 1, 2, 255])), .blob(Data()), .null]
        try await store.writer.write { db in
            _ = try db.execute(
                sql: "CREATE TABLE probe (a INTEGER, b REAL, c TEXT, d BLOB, e BLOB, f TEXT)", arguments: [])
            let id = try db.insertReturningID(
                sql: "INSERT INTO probe (a, b, c, d, e, f) VALUES (?, ?, ?, ?, ?, ?)", arguments: SQLArguments(bound))
            #expect(id == 1)
        }
        let row = try await store.writer.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT a, b, c, d, e, f, typeof(e) AS kind FROM probe", arguments: [])
        }
        #expect(row.map { Array($0.values.prefix(6)) } == [.integer(-7), .real(2.5), .text("héllo"), .blob(Data([0, 1, 2, 255])), .blob(Data()), .null])
        #expect(row?["kind"] == "blob")
        try await store.close()
    }

    @Test func aFailedWriteThrowsAndLeavesNothing() async throws {
        let store = try SQLNetworkStore()
        let insert = "INSERT INTO meta (key, value) VALUES (?, ?)"
        await #expect(throws: (any Error).self) {
            try await store.writer.write { db in
                _ = try db.execute(sql: insert, arguments: ["probe-a", "1"])
                _ = try db.execute(sql: insert, arguments: ["probe-a", "2"])  // the key is taken
            }
        }
        await #expect(throws: (any Error).self) {
            try await store.writer.write { db in _ = try db.execute(sql: insert, arguments: ["probe-b"]) }  // one short
        }
        try await store.writer.write { db in _ = try db.execute(sql: insert, arguments: ["probe-c", "3"]) }
        let keys = try await store.writer.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT key FROM meta WHERE key LIKE 'probe-%' ORDER BY key", arguments: []).map { $0["key"] as String }
        }
        #expect(keys == ["probe-c"])
        try await store.close()
    }
}
