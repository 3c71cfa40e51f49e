import Foundation
import Store
import StoreTestSupport
import Testing

/// The PostgreSQL pool's event loop carries a name of its own, so that a breakdown of a node's
/// threads by name (`depin bench ingest`'s) tells the driver's work from the HTTP server's.
@Suite struct PostgresPoolThreadTests {
    @Test func theDriversEventLoopIsNamedApartFromOtherEventLoops() async throws {
        let pool = try await PostgresPool(url: try TestPostgres.freshSchemaURL(), connections: 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap {
            try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        }
        #expect(names.contains(PostgresPool.driverThreadName), "\(names)")
        #expect(PostgresPool.driverThreadName.utf8.count <= 15, "the kernel keeps 15 bytes of a thread's name")
        try await pool.close()
    }
}
