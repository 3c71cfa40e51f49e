import Foundation
import GRDB
import GRDBSQLite

/// A data-changing statement run through SQLite's C API: its arguments bound straight from the
/// store's values. GRDB converts each argument to its own value type first and resolves key paths
/// on the way, which cost ingest's writer more than SQLite's binding itself (a report's row is
/// seven arguments, and every report is one row).
///
/// Only INSERT, UPDATE and DELETE run this way, always inside a transaction GRDB opened, so
/// nothing GRDB watches (its schema cache, transaction boundaries) changes beneath it; integer
/// scans (`GRDBSession.scanIntegers`) bind their arguments the same way.
enum SQLiteWrite {
    /// Whether `sql` changes rows only (so may run this way): it begins with INSERT, UPDATE or
    /// DELETE. Read from the caller's text (GRDB's `Statement.sql` trims a copy on every read).
    static func applies(to sql: String) -> Bool {
        var verb: [UInt8] = []
        for byte in sql.utf8 {
            if verb.isEmpty, byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { continue }
            if verb.count == 6 {
                // The word ends there (INSERT INTO, not INSERTX).
                let letter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
                if letter || byte == 0x5F || (byte >= 0x30 && byte <= 0x39) { return false }
                break
            }
            verb.append(byte & 0xDF)  // ASCII letters to upper case
        }
        return verb == Array("INSERT".utf8) || verb == Array("UPDATE".utf8) || verb == Array("DELETE".utf8)
    }

    /// Binds `arguments` to `statement` and steps it to its end.
    static func run(_ statement: Statement, _ arguments: SQLArguments, in db: Database) throws {
        let handle = statement.sqliteStatement
        try bind(arguments, to: statement, in: db)
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE:
                sqlite3_reset(handle)
                return
            case SQLITE_ROW: continue
            case let code:
                sqlite3_reset(handle)
                throw failure(code, statement, db)
            }
        }
    }

    /// Resets `statement` and binds `arguments` to its parameters, in order.
    static func bind(_ arguments: SQLArguments, to statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard Int(sqlite3_bind_parameter_count(handle)) == arguments.values.count else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE,
                message: "\(arguments.values.count) arguments for \(sqlite3_bind_parameter_count(handle)) parameters",
                sql: statement.sql)
        }
        for (offset, value) in arguments.values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let integer): code = sqlite3_bind_int64(handle, index, integer)
            case .real(let real): code = sqlite3_bind_double(handle, index, real)
            case .text(let text): code = sqlite3_bind_text(handle, index, text, -1, transient)
            case .blob(let blob):
                code = blob.withUnsafeBytes { bytes in
                    // A zero-length blob still binds as a blob, not NULL.
                    sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient)
                }
            case .integers, .blobs, .texts: preconditionFailure("SQLite has no arrays: \(statement.sql)")
            }
            guard code == SQLITE_OK else { throw failure(code, statement, db) }
        }
    }

    static func failure(_ code: Int32, _ statement: Statement, _ db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: statement.sql)
    }

    /// SQLite copies what it binds (the caller's buffers are gone once binding returns).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
