import Core

/// One row of a result: its values by position and by column name (case-insensitive, as SQL
/// names are).
public struct SQLRow: Sendable {
    /// The result's column names, shared by its rows.
    public final class Columns: Sendable {
        public let names: [String]
        let positions: [String: Int]

        public init(_ names: [String]) {
            self.names = names
            var positions: [String: Int] = [:]
            for (position, name) in names.enumerated() where positions[name.lowercased()] == nil {
                positions[name.lowercased()] = position
            }
            self.positions = positions
        }
    }

    public let columns: Columns
    public let values: [SQLValue]

    public init(columns: Columns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of the column at `position`. A value of another type is a schema bug, and traps
    /// with the column named (as the SQLite library the store used before did).
    public subscript<Value: SQLValueConvertible>(_ position: Int) -> Value {
        guard let value = Value.fromSQL(values[position]) else {
            preconditionFailure("column \(columns.names[position]) holds \(values[position]), not \(Value.self)")
        }
        return value
    }

    /// The value of the column named `name`.
    public subscript<Value: SQLValueConvertible>(_ name: String) -> Value {
        guard let position = columns.positions[name.lowercased()] else {
            preconditionFailure("no column \(name) among \(columns.names)")
        }
        return self[position]
    }

    /// The raw value of the column at `position`.
    public func value(at position: Int) -> SQLValue { values[position] }
}

extension SQLRow {
    /// Every row of `sql`.
    public static func fetchAll(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try db.rows(sql: sql, arguments: arguments)
    }

    /// The first row of `sql`, nil when there is none.
    public static func fetchOne(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try db.rows(sql: sql, arguments: arguments).first
    }
}

extension SQLValueConvertible {
    /// The first column of `sql`'s first row, nil when there is no row or it is NULL.
    public static func fetchOne(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> Self? {
        guard let row = try db.rows(sql: sql, arguments: arguments).first else { return nil }
        let value = row.value(at: 0)
        if case .null = value { return nil }
        guard let decoded = Self.fromSQL(value) else {
            throw StoreError(.corrupt, "column \(row.columns.names[0]) holds \(value), not \(Self.self)")
        }
        return decoded
    }

    /// The first column of every row of `sql`.
    public static func fetchAll(_ db: any SQLSession, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try db.rows(sql: sql, arguments: arguments).map { row in
            guard let decoded = Self.fromSQL(row.value(at: 0)) else {
                throw StoreError(.corrupt, "column \(row.columns.names[0]) holds \(row.value(at: 0)), not \(Self.self)")
            }
            return decoded
        }
    }
}
