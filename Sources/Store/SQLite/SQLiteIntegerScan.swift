import GRDB
import GRDBSQLite

/// A scan of integer columns straight through SQLite's C API, for the few reads that visit every
/// row of a large table (the map's tallies): GRDB's row decoding costs several times what
/// SQLite's own stepping does there.
struct SQLiteIntegerScan {
    /// One result row: its integer columns, NULL read as nil.
    struct Columns {
        let statement: SQLiteStatement

        subscript(_ column: Int32) -> Int64? {
            sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
        }
    }

    /// Runs `sql` with `arguments` and hands each row to `visit`.
    static func run(
        _ db: Database, sql: String, arguments: StatementArguments, visit: (Columns) throws -> Void
    ) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let columns = Columns(statement: statement.sqliteStatement)
        while true {
            switch sqlite3_step(statement.sqliteStatement) {
            case SQLITE_ROW: try visit(columns)
            case SQLITE_DONE: return
            case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
        }
    }
}
