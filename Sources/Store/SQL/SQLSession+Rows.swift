import Core
import Foundation

extension SQLSession {
    /// Runs a one-row `INSERT … VALUES (…) [ON CONFLICT …]` once for each of `rows`. SQLite runs
    /// the compiled statement a row at a time (in process, that is cheapest); PostgreSQL gets
    /// multi-row statements of up to a thousand rows, a round trip each rather than a round trip a
    /// row. Rows of one call must not conflict with each other.
    public func insertRows(sql: String, rows: [SQLArguments]) throws {
        guard !rows.isEmpty else { return }
        switch dialect {
        case .sqlite:
            let statement = try prepare(sql: sql)
            for row in rows { try statement.execute(arguments: row) }
        case .postgres:
            let shape = try InsertShape(sql)
            let perRow = max(rows[0].values.count, 1)
            let chunk = max(1, min(1_000, 30_000 / perRow))
            for start in stride(from: 0, to: rows.count, by: chunk) {
                let end = min(start + chunk, rows.count)
                var values: [SQLValue] = []
                values.reserveCapacity((end - start) * perRow)
                for row in rows[start..<end] { values += row.values }
                try execute(sql: shape.sql(rows: end - start), arguments: SQLArguments(values))
            }
        }
    }
}

/// A one-row INSERT taken apart: what comes before its VALUES tuple, the tuple, what comes after.
struct InsertShape {
    let head: Substring
    let tuple: Substring
    let tail: Substring

    init(_ sql: String) throws {
        guard let values = sql.range(of: "VALUES", options: .caseInsensitive),
            let open = sql[values.upperBound...].firstIndex(of: "(")
        else { throw StoreError(.corrupt, "not a one-row INSERT … VALUES (…): \(sql.prefix(80))") }
        var depth = 0
        var quoted = false
        var close: String.Index?
        for index in sql[open...].indices {
            let character = sql[index]
            if character == "'" { quoted.toggle() }
            guard !quoted else { continue }
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth == 0 {
                    close = index
                    break
                }
            }
        }
        guard let close else { throw StoreError(.corrupt, "an INSERT whose VALUES tuple does not close: \(sql.prefix(80))") }
        head = sql[..<open]
        tuple = sql[open...close]
        tail = sql[sql.index(after: close)...]
    }

    /// The statement for `rows` rows.
    func sql(rows: Int) -> String {
        head + Array(repeating: String(tuple), count: rows).joined(separator: ", ") + tail
    }
}
