import Core
import Foundation
import NIOCore
import PostgresNIO

/// A transaction of the PostgreSQL store on one connection. Its calls block the thread they run
/// on (a thread of the database's own pool, never an event loop or the concurrency pool) until
/// the server answers.
struct PostgresSession: SQLSession {
    let connection: PostgresConnection
    /// Set by the pool in a write transaction (`PostgresPool.write`).
    var writeSerial: Int64?

    var dialect: SQLDialect { .postgres }

    func execute(sql: String, arguments: SQLArguments) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func insertReturningID(sql: String, arguments: SQLArguments) throws -> Int64 {
        guard let row = try run(sql + " RETURNING id", arguments).first, let id = Int64.fromSQL(Self.value(row.first!))
        else { throw StoreError(.corrupt, "an insert returned no id") }
        return id
    }

    func forEachRow(sql: String, arguments: SQLArguments, _ visit: (SQLRow) throws -> Void) throws {
        let result = try run(sql, arguments)
        guard let first = result.first else { return }
        let columns = SQLRow.Columns(first.map(\.columnName))
        for row in result {
            try visit(SQLRow(columns: columns, values: row.map(Self.value)))
        }
    }

    func scanIntegers(sql: String, arguments: SQLArguments, _ visit: (SQLIntegerColumns) throws -> Void) throws {
        try forEachRow(sql: sql, arguments: arguments) { row in
            try visit(SQLIntegerColumns { Int64.fromSQL(row.value(at: Int($0))) })
        }
    }

    /// Reads through a cursor, `scanPage` rows a round trip: an epoch's log is ten million rows,
    /// gigabytes were the whole result fetched before its first row is handed over. Each page is
    /// asked for before the one before it is visited, so that the server reads and sends it while
    /// this thread goes through the last (one after the other, a quarter of the machine idled).
    func scanBlobs(sql: String, arguments: SQLArguments, _ visit: (Data) throws -> Void) throws {
        let cursor = "depin_scan_\(UInt64.random(in: 0...UInt64.max))"
        let fetch = "FETCH FORWARD \(Self.scanPage) FROM \(cursor)"
        _ = try run("DECLARE \(cursor) NO SCROLL CURSOR FOR " + sql, arguments)
        var pending: EventLoopFuture<PostgresQueryResult>? = send(fetch, [])
        while let asked = pending {
            let page = try wait(asked, fetch)
            pending = page.rows.count < Self.scanPage ? nil : send(fetch, [])
            try visitBlobs(of: page, asking: pending, in: sql, nullAllowed: false, visit)
        }
        _ = try run("CLOSE \(cursor)", [])
    }

    /// Sends each page's query before visiting the answer to the one before, as `scanBlobs` does.
    func scanBlobPages(sql: String, pages: [SQLArguments], _ visit: (Data) throws -> Void) throws {
        var next = pages.makeIterator()
        var pending = next.next().map { send(sql, $0) }
        while let asked = pending {
            let page = try wait(asked, sql)
            pending = next.next().map { send(sql, $0) }
            try visitBlobs(of: page, asking: pending, in: sql, nullAllowed: true, visit)
        }
    }

    /// Hands each row's first column of `page` to `visit`; if that throws, waits for the query
    /// asked ahead (`pending`) to be answered, so the connection goes back idle.
    private func visitBlobs(
        of page: PostgresQueryResult, asking pending: EventLoopFuture<PostgresQueryResult>?, in sql: String,
        nullAllowed: Bool, _ visit: (Data) throws -> Void
    ) throws {
        do {
            for row in page {
                switch Self.value(row.first!) {
                case .blob(let bytes): try visit(bytes)
                case .null where nullAllowed: continue
                default: throw StoreError(.corrupt, "not a blob in: \(sql)")
                }
            }
        } catch {
            _ = try? pending?.wait()
            throw error
        }
    }

    /// Rows a cursor fetch brings.
    static let scanPage = 20_000

    func prepare(sql: String) throws -> any SQLStatement { Prepared(session: self, sql: sql) }

    struct Prepared: SQLStatement {
        let session: PostgresSession
        let sql: String
        func execute(arguments: SQLArguments) throws { _ = try session.run(sql, arguments) }
        func insertReturningID(arguments: SQLArguments) throws -> Int64 {
            try session.insertReturningID(sql: sql, arguments: arguments)
        }
    }

    func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        try wait(send(sql, arguments), sql)
    }

    /// Runs `statements` in order, each sent without waiting for the answer to the one before:
    /// the driver sends the next as soon as the server has answered, on its own thread, and this
    /// thread wakes once for them all. The first that failed is thrown, once all are answered.
    /// For statements whose order is all that ties them (a transaction's first: BEGIN, the lock,
    /// the serial), since each runs whatever the one before it did.
    func runAll(_ statements: [String]) throws -> [PostgresQueryResult] {
        let answers = statements.map { send($0, []) }
        var results: [PostgresQueryResult] = []
        var failure: (any Error)?
        for (answer, sql) in zip(answers, statements) {
            do {
                results.append(try wait(answer, sql))
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return results
    }

    /// Sends `sql` without waiting for its answer.
    private func send(_ sql: String, _ arguments: SQLArguments) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(PostgresPlaceholders.numbered(sql), arguments.values.map(Self.data))
    }

    /// The answer to `sql`, sent as `answer`.
    private func wait(_ answer: EventLoopFuture<PostgresQueryResult>, _ sql: String) throws -> PostgresQueryResult {
        do {
            return try answer.wait()
        } catch let error as PSQLError {
            throw PostgresStoreError(error: error, sql: sql)
        }
    }

    static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null: .null
        case .integer(let integer): PostgresData(int64: integer)
        case .real(let real): PostgresData(double: real)
        case .text(let text): PostgresData(string: text)
        case .blob(let blob): PostgresData(bytes: [UInt8](blob))
        case .integers(let integers): PostgresBinaryArray.int8(integers)
        case .blobs(let blobs): PostgresBinaryArray.bytea(blobs)
        case .texts(let texts): PostgresBinaryArray.text(texts)
        }
    }

    /// A cell as the SQL layer's value: integers (and booleans, as 0 and 1), reals, text and bytes,
    /// arrays of BIGINT, and NUMERIC (what SUM of BIGINT gives) as an integer when it is whole.
    static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
        case .bool: return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
        case .float4, .float8: return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
        case .bytea: return (try? cell.decode(ByteBuffer.self)).map { .blob(Data($0.readableBytesView)) } ?? .null
        case .int8Array: return (try? cell.decode([Int64].self)).map(SQLValue.integers) ?? .null
        case .numeric:
            guard let decimal = try? cell.decode(Decimal.self) else { return .null }
            let text = "\(decimal)"
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        default: return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }
}

/// A statement PostgreSQL refused, with its SQL and the server's message.
struct PostgresStoreError: Error, CustomStringConvertible {
    let error: PSQLError
    let sql: String

    var description: String { "PostgreSQL: \(Self.reason(error)) in: \(sql.prefix(200))" }

    /// What went wrong, in the server's words where it spoke, else the driver's or the network's
    /// (the driver's own description hides them).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
