import Foundation
import GRDB
import GRDBSQLite

/// A transaction of the SQLite store, through GRDB.
struct GRDBSession: SQLSession {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    /// One node writes a SQLite file: there is no other writer to keep track of.
    var writeSerial: Int64? { nil }

    // The store's statements are single ones: each is compiled once per connection and kept
    // (GRDB's execute(sql:) would compile it on every call).
    func execute(sql: String, arguments: SQLArguments) throws -> Int {
        try Self.execute(db.cachedStatement(sql: sql), arguments, write: SQLiteWrite.applies(to: sql), in: db)
        return db.changesCount
    }

    func insertReturningID(sql: String, arguments: SQLArguments) throws -> Int64 {
        try Self.execute(db.cachedStatement(sql: sql), arguments, write: SQLiteWrite.applies(to: sql), in: db)
        return db.lastInsertedRowID
    }

    /// Runs `statement`: a write (of rows: `SQLiteWrite.applies`) through SQLite's C API,
    /// anything else through GRDB.
    static func execute(_ statement: Statement, _ arguments: SQLArguments, write: Bool, in db: Database) throws {
        if write {
            try SQLiteWrite.run(statement, arguments, in: db)
        } else {
            try statement.execute(arguments: bind(arguments))
        }
    }

    func forEachRow(sql: String, arguments: SQLArguments, _ visit: (SQLRow) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let columns = SQLRow.Columns(statement.columnNames)
        let cursor = try Row.fetchCursor(statement, arguments: Self.bind(arguments))
        while let row = try cursor.next() {
            try visit(SQLRow(columns: columns, values: row.databaseValues.map(Self.value)))
        }
    }

    /// Steps the statement through SQLite's C API, bound through it too (`SQLiteWrite.bind`):
    /// GRDB's row decoding costs several times what SQLite's own stepping does on the map's
    /// full-table reads, and its argument conversion more than SQLite's binding on ingest's
    /// look-up of a commit's senders. The statement is compiled once per connection and kept.
    func scanIntegers(sql: String, arguments: SQLArguments, _ visit: (SQLIntegerColumns) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        try SQLiteWrite.bind(arguments, to: statement, in: db)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let column = SQLIntegerColumns { index in
            sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
        }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: try visit(column)
            case SQLITE_DONE: return
            case let code: throw SQLiteWrite.failure(code, statement, db)
            }
        }
    }

    /// Steps through SQLite's C API, as `scanIntegers` does, copying each blob once.
    func scanBlobs(sql: String, arguments: SQLArguments, _ visit: (Data) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(Self.bind(arguments))
        let handle = statement.sqliteStatement
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                let count = Int(sqlite3_column_bytes(handle, 0))
                guard count > 0, let bytes = sqlite3_column_blob(handle, 0) else {
                    try visit(Data())
                    continue
                }
                try visit(Data(bytes: bytes, count: count))
            case SQLITE_DONE: return
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: sql)
            }
        }
    }

    func scanBlobPages(sql: String, pages: [SQLArguments], _ visit: (Data) throws -> Void) throws {
        for arguments in pages {
            try forEachRow(sql: sql, arguments: arguments) { row in
                if case .blob(let bytes) = row.value(at: 0) { try visit(bytes) }
            }
        }
    }

    func prepare(sql: String) throws -> any SQLStatement {
        Prepared(statement: try db.cachedStatement(sql: sql), write: SQLiteWrite.applies(to: sql), db: db)
    }

    struct Prepared: SQLStatement {
        let statement: Statement
        let write: Bool
        let db: Database
        func execute(arguments: SQLArguments) throws { try GRDBSession.execute(statement, arguments, write: write, in: db) }
        func insertReturningID(arguments: SQLArguments) throws -> Int64 {
            try execute(arguments: arguments)
            return db.lastInsertedRowID
        }
    }

    static func bind(_ arguments: SQLArguments) -> StatementArguments {
        StatementArguments(
            arguments.values.map { value -> DatabaseValue in
                switch value {
                case .null: .null
                case .integer(let integer): integer.databaseValue
                case .real(let real): real.databaseValue
                case .text(let text): text.databaseValue
                case .blob(let blob): blob.databaseValue
                case .integers, .blobs, .texts: preconditionFailure("SQLite has no arrays")
                }
            })
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let blob): .blob(blob)
        }
    }
}

/// The SQLite database the store runs on: a GRDB pool on a file in WAL mode with
/// `synchronous = FULL`, so a commit is on disk before the node answers (pages read through a
/// memory map of up to 1 GiB), or a queue in memory.
struct GRDBDatabase: SQLDatabase {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) `path` and brings its schema up to date.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Pages read through a memory map and a 64 MiB cache a connection, rather than a
            // pread a page into SQLite's default 2 MiB: ingest spent a third of its writer's time
            // in the kernel copying index pages it had just written.
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // The write-ahead log is copied back into the file every 8,000 pages (32 MiB) rather
            // than SQLite's 1,000: ingest dirties the same index pages commit after commit, and
            // each copy-back wrote them all again (a sixth of the store's writer).
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 8000")
        }
        writer = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(writer)
    }

    /// An empty database in memory.
    init() throws {
        writer = try DatabaseQueue()
        try SQLiteSchema.migrator.migrate(writer)
    }

    /// One node owns a SQLite file: its leases are always free.
    func withLease<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await body()
    }

    func close() async throws {
        if let pool = writer as? DatabasePool { try pool.close() } else if let queue = writer as? DatabaseQueue { try queue.close() }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await writer.read { db in try body(GRDBSession(db: db)) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await writer.write { db in try body(GRDBSession(db: db)) }
    }

    func readStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await read(body)
    }
}
