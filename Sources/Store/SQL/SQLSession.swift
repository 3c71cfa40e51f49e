import Foundation
/// The SQL a store's code speaks, inside one transaction of a `SQLDatabase`. Statements are
/// written once for both engines: `?` parameters, `INSERT … ON CONFLICT`, `RETURNING`, and the
/// two-argument `MAX` and `MIN` (which the PostgreSQL schema defines as functions).
public protocol SQLSession {
    /// Which engine runs the statements.
    var dialect: SQLDialect { get }

    /// In a write transaction on a database several nodes share (PostgreSQL), this write's place
    /// in the order of every write that committed, by any node: one more than the last committed
    /// write's. Taken under the write lock, in the transaction, so a write that rolls back leaves
    /// no gap. So a node that remembers the serial of its own last write knows, when the next is
    /// one more, that nothing has been written since, and can trust what it kept of that write.
    /// Nil on SQLite (one node) and in reads.
    var writeSerial: Int64? { get }

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(sql: String, arguments: SQLArguments) throws -> Int

    /// Runs an INSERT into a table keyed by an integer `id` the database assigns, and returns it.
    func insertReturningID(sql: String, arguments: SQLArguments) throws -> Int64

    /// Hands each row of a query to `visit` as it is read, for results too large to hold.
    func forEachRow(sql: String, arguments: SQLArguments, _ visit: (SQLRow) throws -> Void) throws

    /// Hands each row of a query of integer columns to `visit`: the fast path for reads that
    /// visit every row of a large table.
    func scanIntegers(sql: String, arguments: SQLArguments, _ visit: (SQLIntegerColumns) throws -> Void) throws

    /// Hands the first column of each row of a query, a blob, to `visit`: the fast path for
    /// reading a whole epoch's report log.
    func scanBlobs(sql: String, arguments: SQLArguments, _ visit: (Data) throws -> Void) throws

    /// Runs one query once for each of `pages`' arguments, in order, and hands the first column
    /// of each row, a blob, to `visit`; NULLs are skipped. An engine behind a socket asks for
    /// each page before it visits the one before.
    func scanBlobPages(sql: String, pages: [SQLArguments], _ visit: (Data) throws -> Void) throws

    /// A statement to run many times with different arguments.
    func prepare(sql: String) throws -> any SQLStatement
}

extension SQLSession {
    /// Every row of a query.
    public func rows(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try forEachRow(sql: sql, arguments: arguments) { rows.append($0) }
        return rows
    }

    @discardableResult
    public func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }
}

/// The current row of an integer scan: column `i`, NULL as nil.
public struct SQLIntegerColumns {
    let read: (Int32) -> Int64?

    public init(read: @escaping (Int32) -> Int64?) { self.read = read }

    public subscript(_ column: Int32) -> Int64? { read(column) }
}

/// A statement prepared once and run many times.
public protocol SQLStatement {
    func execute(arguments: SQLArguments) throws
    /// Runs an INSERT and returns the new row's id.
    func insertReturningID(arguments: SQLArguments) throws -> Int64
}

/// The engines a store runs on.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// A database that runs a store's transactions: reads see one consistent snapshot, and writes
/// are atomic and durable before they return, one at a time.
public protocol SQLDatabase: Sendable {
    /// Runs `body` while this process holds the lease `name` among every process on the database,
    /// and returns its value; returns nil at once when another holds it. A process that dies
    /// gives its leases up.
    func withLease<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T?
    /// Closes the database's connections; the store is not used after.
    func close() async throws
    @discardableResult
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Runs `body` as `read` does, where it needs no snapshot of its own: one statement, or
    /// statements over rows that never change once committed (a closed epoch's). PostgreSQL runs
    /// it without BEGIN and COMMIT, two round trips of three for a hot read; SQLite as `read`.
    @discardableResult
    func readStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
}
