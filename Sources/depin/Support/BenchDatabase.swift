import Core
import Foundation
import Store

/// A PostgreSQL database for a benchmark: the URL given, in a new schema of its own (unless the
/// URL names one), which `drop` removes.
struct BenchDatabase: CustomStringConvertible {
    let url: String
    let base: String
    let schema: String?

    init(url given: String) throws {
        let location: PostgresPool.Location
        do { location = try PostgresPool.Location(url: given) } catch let error as StoreError {
            throw CLIError(error.message)
        }
        if location.schema != nil {
            url = given
            base = given
            schema = nil
        } else {
            let name = "depin_bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
            url = given + (given.contains("?") ? "&" : "?") + "schema=" + name
            base = given
            schema = name
        }
    }

    var description: String {
        let location = try? PostgresPool.Location(url: url)
        return "PostgreSQL, " + (location?.redacted ?? url) + (schema != nil ? " (made for this run and dropped after)" : "")
    }

    /// Drops the schema this run made.
    func drop() async {
        guard let schema, let pool = try? await PostgresPool(url: base, connections: 1, migrate: false) else { return }
        _ = try? await pool.write { db in try db.execute(sql: "DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        try? await pool.close()
    }
}
