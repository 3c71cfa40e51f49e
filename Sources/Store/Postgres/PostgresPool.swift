import Core
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// The PostgreSQL database a store runs on: a pool of connections to one server, each used by one
/// transaction at a time on a thread of the pool's own.
///
/// Writes take a transaction-scoped advisory lock first, so that several nodes on one database
/// write one transaction at a time, as SQLite's single writer does: each sees what the last one
/// committed (a device's last nonce, an account's balance) and none is lost to a conflict. Reads
/// run in a read-only REPEATABLE READ transaction: one snapshot, alongside the writes.
public final class PostgresPool: SQLDatabase, Sendable {
    /// Where to connect: `postgres://user[:password]@host[:port]/database[?schema=name]`.
    public struct Location: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String?
        public var database: String
        /// The schema the store's tables live in (the connection's search path); nil for the
        /// server's default (public).
        public var schema: String?

        public init(url: String) throws {
            guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql"
            else { throw StoreError(.badDatabaseURL, "\(url) is not a postgres:// URL") }
            guard let host = components.host, !host.isEmpty else {
                throw StoreError(.badDatabaseURL, "\(url) names no host (postgres://user@host:port/database)")
            }
            let database = String(components.path.dropFirst())
            guard !database.isEmpty, !database.contains("/") else {
                throw StoreError(.badDatabaseURL, "\(url) names no database (postgres://user@host:port/database)")
            }
            self.host = host
            port = components.port ?? 5432
            user = components.user ?? "postgres"
            password = components.password
            self.database = database
            schema = nil
            for item in components.queryItems ?? [] {
                switch item.name {
                case "schema":
                    guard let name = item.value, name.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                        throw StoreError(.badDatabaseURL, "schema must be a lower-case SQL name, not \(item.value ?? "nothing")")
                    }
                    schema = name
                case "sslmode" where item.value == "disable":
                    continue
                default:
                    throw StoreError(
                        .badDatabaseURL, "\(item.name) is not an option of the database URL (schema= and sslmode=disable are)")
                }
            }
        }

        /// The URL, without the password.
        public var redacted: String {
            "postgres://\(user)@\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "")
        }
    }

    public let location: Location
    let group: MultiThreadedEventLoopGroup
    let threads: NIOThreadPool
    let idle = NIOLockedValueBox<[PostgresConnection]>([])
    let closed = NIOLockedValueBox(false)
    /// Connection ids for the driver's logs.
    let connectionCount = NIOLockedValueBox(0)
    let logger: Logger
    /// The key of the advisory lock that orders writes: one per schema, so that networks sharing
    /// a server do not wait for each other.
    let writeLockKey: Int64
    /// Whether writes take a serial (`SQLSession.writeSerial`): a pool that brings the schema up
    /// to date does; one for administration (which may not find the table) does not.
    let numbersWrites: Bool

    /// Connects to `url` (with up to `connections` connections at once) and brings the schema up
    /// to date (unless `migrate` is false: a pool for administration, such as dropping a schema).
    public init(url: String, connections: Int = 8, migrate: Bool = true) async throws {
        location = try Location(url: url)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        threads = NIOThreadPool(numberOfThreads: max(connections, 1))
        threads.start()
        // Named apart from the HTTP server's event loops (NIO names both NIO-ELT-…), so that a
        // breakdown of the node's threads, such as `depin bench ingest`'s, tells the driver's work.
        try await group.next().submit { Thread.current.name = Self.driverThreadName }.get()
        var logger = Logger(label: "depin.postgres")
        logger.logLevel = .critical
        self.logger = logger
        writeLockKey = Self.lockKey("write", schema: location.schema)
        numbersWrites = migrate
        do {
            // Unnumbered: the serial's table may be one of the migrations.
            if migrate { try await transaction(begin: writeBegin, numbered: false) { db in try PostgresSchema.migrate(db) } }
        } catch {
            try? await close()
            throw error
        }
    }

    /// The name of the thread the driver's connections run on (at most 15 bytes, the kernel's).
    public static let driverThreadName = "postgres-driver"

    /// A key for a named advisory lock of this store's schema: FNV-1a of the two names.
    static func lockKey(_ name: String, schema: String?) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "depin/\(schema ?? "public")/\(name)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// Closes every connection and stops the pool's threads.
    public func close() async throws {
        guard closed.withLockedValue({ closed in defer { closed = true }; return !closed }) else { return }
        for connection in idle.withLockedValue({ connections in defer { connections = [] }; return connections }) {
            try? await connection.close()
        }
        try await threads.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    /// A pool dropped without `close()` (a test that failed half-way) still closes its connections,
    /// which the driver requires.
    deinit {
        guard !closed.withLockedValue({ $0 }) else { return }
        for connection in idle.withLockedValue({ $0 }) {
            try? (connection.close() as EventLoopFuture<Void>).wait()
        }
        threads.shutdownGracefully { _ in }
        group.shutdownGracefully { _ in }
    }

    /// A session-level advisory lock, held on a connection set aside for the lease: the server
    /// frees it when the connection ends, so a node that dies gives the lease up.
    public func withLease<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        let key = Self.lockKey(name, schema: location.schema)
        let held: PostgresConnection? = try await onPoolThread { [self] in
            let connection = try checkOut()
            let granted = try Bool.fetchOne(
                PostgresSession(connection: connection), sql: "SELECT pg_try_advisory_lock(?)", arguments: [key])
            guard granted == true else {
                checkIn(connection)
                return nil
            }
            return connection
        }
        guard let connection = held else { return nil }
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        try await onPoolThread { [self] in
            do {
                _ = try PostgresSession(connection: connection).execute(sql: "SELECT pg_advisory_unlock(?)", arguments: [key])
                checkIn(connection)
            } catch {
                try? connection.close().wait()
                throw error
            }
        }
        return try outcome.get()
    }

    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await transaction(begin: ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"], body)
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await transaction(begin: writeBegin, numbered: numbersWrites, body)
    }

    /// A write's first statements: the lock that orders the writes of every node.
    private var writeBegin: [String] { ["BEGIN", "SELECT pg_advisory_xact_lock(\(writeLockKey))"] }

    /// Takes a write's serial, after the lock (so serials follow the order writes hold it) and in
    /// the transaction (so one that rolls back gives its number back).
    static let nextWriteSerial = "UPDATE write_serial SET serial = serial + 1 RETURNING serial"

    @discardableResult
    public func readStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        let work: @Sendable () throws -> T = { [self] in
            let connection = try checkOut()
            do {
                let value = try body(PostgresSession(connection: connection))
                checkIn(connection)
                return value
            } catch {
                if connection.isClosed { try? (connection.close() as EventLoopFuture<Void>).wait() } else { checkIn(connection) }
                throw error
            }
        }
        return try await onPoolThread(work)
    }

    /// Vacuums and analyzes the schema's tables, then asks for a checkpoint: at once, what
    /// autovacuum and the checkpointer do over the hours a live server takes to receive as many
    /// rows (hint bits set, the visibility map and the planner's statistics brought up to date,
    /// dirty pages written). For after a bulk load, such as a benchmark's set-up, so that the
    /// first read does not pay for it. Returns what could not be done (a checkpoint needs
    /// superuser or pg_checkpoint), or nil.
    public func settle() async throws -> String? {
        try await readStatement { db in
            // VACUUM runs outside a transaction; a partitioned table's takes its partitions.
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                    ORDER BY c.relname
                    """)
            if !tables.isEmpty { _ = try db.execute(sql: "VACUUM (ANALYZE) " + tables.joined(separator: ", ")) }
            do {
                _ = try db.execute(sql: "CHECKPOINT")
                return nil
            } catch {
                return "no checkpoint: \(PostgresStoreError.reason(error))"
            }
        }
    }

    /// Runs `body` between `begin` and COMMIT on a pooled connection, on a pool thread; rolls
    /// back when it throws. A connection that failed is closed rather than pooled again.
    /// A `numbered` transaction takes a write serial after `begin`.
    private func transaction<T: Sendable>(
        begin: [String], numbered: Bool = false, _ body: @escaping @Sendable (any SQLSession) throws -> T
    ) async throws -> T {
        let work: @Sendable () throws -> T = { [self] in
            let connection = try checkOut()
            var session = PostgresSession(connection: connection)
            do {
                // One wait for them all: BEGIN, the lock and the serial are three round trips,
                // but the driver sends each as the one before is answered.
                let answers = try session.runAll(numbered ? begin + [Self.nextWriteSerial] : begin)
                if numbered {
                    guard let row = answers.last?.first, let serial = Int64.fromSQL(PostgresSession.value(row.first!)) else {
                        throw StoreError(.corrupt, "the schema's write serial has no row")
                    }
                    session.writeSerial = serial
                }
                let value = try body(session)
                try session.execute(sql: "COMMIT")
                checkIn(connection)
                return value
            } catch {
                if !connection.isClosed, (try? session.execute(sql: "ROLLBACK")) != nil {
                    checkIn(connection)
                } else {
                    try? (connection.close() as EventLoopFuture<Void>).wait()
                }
                throw error
            }
        }
        return try await onPoolThread(work)
    }

    /// Runs `work` on a pool thread and waits for it, cancelled or not: a transaction that began
    /// ends (and its connection goes back) before the caller goes on.
    private func onPoolThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(eventLoop: group.next(), work).get()
    }

    private func checkOut() throws -> PostgresConnection {
        if let connection = idle.withLockedValue({ $0.popLast() }), !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        if let schema = location.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: group.next(), configuration: configuration, id: connectionCount.withLockedValue { $0 += 1; return $0 }, logger: logger
            ).wait()
        } catch {
            throw StoreError(.databaseUnavailable, "cannot connect to \(location.redacted): \(PostgresStoreError.reason(error))")
        }
        if let schema = location.schema {
            _ = try PostgresSession(connection: connection).execute(sql: "CREATE SCHEMA IF NOT EXISTS \(schema)")
        }
        return connection
    }

    private func checkIn(_ connection: PostgresConnection) {
        idle.withLockedValue { $0.append(connection) }
    }
}
