import Foundation
import Store
import Testing

/// The databases the store's tests run on: each test runs once on SQLite (in memory) and once on
/// PostgreSQL (a schema of its own on the test server that scripts/postgres.sh starts).
public enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    /// The engine `DEPIN_TEST_STORE` names (sqlite or postgres), SQLite when it is unset: the
    /// node's tests run on it, and the suite runs them once more on PostgreSQL.
    public static var configured: StoreEngine {
        ProcessInfo.processInfo.environment["DEPIN_TEST_STORE"].flatMap(StoreEngine.init(rawValue:)) ?? .sqlite
    }

    /// An empty store.
    public func makeStore() async throws -> SQLNetworkStore {
        switch self {
        case .sqlite: try SQLNetworkStore()
        case .postgres: SQLNetworkStore(database: try await PostgresPool(url: try TestPostgres.freshSchemaURL(), connections: 4))
        }
    }
}

/// The test PostgreSQL server: `DEPIN_TEST_POSTGRES_URL`, or the one scripts/postgres.sh starts
/// (installing and starting it if need be). Each store gets a new schema; the schemas of earlier
/// runs are dropped when a run first asks.
public enum TestPostgres {
    public static let server: Result<String, TestPostgresError> = {
        let url: String
        if let given = ProcessInfo.processInfo.environment["DEPIN_TEST_POSTGRES_URL"], !given.isEmpty {
            url = given
        } else {
            guard let started = run("/bin/bash", [repository + "/scripts/postgres.sh"]) else {
                return .failure(TestPostgresError(description: "scripts/postgres.sh could not start PostgreSQL"))
            }
            url = started.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = run(
            "/usr/bin/env",
            [
                "psql", "-q", url, "-c",
                """
                DO $$ DECLARE s text; BEGIN
                FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'depin_test_%' LOOP
                EXECUTE 'DROP SCHEMA ' || s || ' CASCADE'; END LOOP; END $$
                """,
            ])
        return .success(url)
    }()

    /// The server's URL with a schema no other test uses.
    public static func freshSchemaURL() throws -> String {
        let url = try server.get()
        let schema = "depin_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return url + (url.contains("?") ? "&" : "?") + "schema=" + schema
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Runs a program and returns its standard output, nil when it fails.
    static func run(_ program: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public let description: String
}
