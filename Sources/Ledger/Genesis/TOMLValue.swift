/// A value of the TOML subset the genesis file uses, with the line it was written on.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML type's name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A TOML table: keys in the order written, each with its value and line number.
public struct TOMLTable: Sendable, Equatable {
    /// One key's value and where it was written.
    public struct Entry: Sendable, Equatable {
        /// The value.
        public var value: TOMLValue
        /// The 1-based line of the key (or of the table header, for a table).
        public var line: Int

        /// A value written on `line`.
        public init(value: TOMLValue, line: Int) {
            self.value = value
            self.line = line
        }
    }

    /// The keys in the order they were written.
    public private(set) var keys: [String] = []
    private var entries: [String: Entry] = [:]
    /// The line of the table's header, 0 for the root.
    public var line: Int

    /// An empty table whose header is on `line`.
    public init(line: Int = 0) {
        self.line = line
    }

    /// The entry for `key`.
    public subscript(key: String) -> Entry? {
        get { entries[key] }
        set {
            if entries[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            entries[key] = newValue
        }
    }
}
