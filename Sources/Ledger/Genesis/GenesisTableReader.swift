import Core

/// Reads typed values out of one TOML table, remembering which keys it used so that a key it
/// does not know (usually a typo) is reported with its line instead of silently ignored. The
/// genesis reads its tables with it, and so do other TOML files of the same dialect (the
/// simulator's scenario).
public struct GenesisTableReader {
    /// The table read.
    public let table: TOMLTable
    /// Its name, as error messages write it.
    public let name: String
    private(set) var used: Set<String> = []

    /// A reader of `table`, called `name` in errors.
    public init(_ table: TOMLTable, name: String) {
        self.table = table
        self.name = name
    }

    /// The table header's line.
    public var line: Int { table.line }

    public mutating func entry(_ key: String) -> TOMLTable.Entry? {
        used.insert(key)
        return table[key]
    }

    public mutating func required(_ key: String) throws(GenesisError) -> TOMLTable.Entry {
        guard let entry = entry(key) else {
            throw GenesisError(line: table.line, "[\(name)] needs '\(key)'")
        }
        return entry
    }

    public mutating func string(_ key: String, default fallback: String? = nil) throws(GenesisError) -> String {
        guard let entry = entry(key) else {
            if let fallback { return fallback }
            throw GenesisError(line: table.line, "[\(name)] needs '\(key)'")
        }
        guard case .string(let value) = entry.value else {
            throw GenesisError(line: entry.line, "'\(key)' is a string, not a \(entry.value.typeName)")
        }
        return value
    }

    public mutating func integer(_ key: String, default fallback: Int64? = nil, in range: ClosedRange<Int64>)
        throws(GenesisError) -> Int64
    {
        guard let entry = entry(key) else {
            if let fallback { return fallback }
            throw GenesisError(line: table.line, "[\(name)] needs '\(key)'")
        }
        guard case .integer(let value) = entry.value else {
            throw GenesisError(line: entry.line, "'\(key)' is an integer, not a \(entry.value.typeName)")
        }
        guard range.contains(value) else {
            throw GenesisError(line: entry.line, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    public mutating func amount(_ key: String, default fallback: Amount? = nil) throws(GenesisError) -> Amount {
        guard let entry = entry(key) else {
            if let fallback { return fallback }
            throw GenesisError(line: table.line, "[\(name)] needs '\(key)'")
        }
        switch entry.value {
        case .string(let text):
            do { return try Amount(parsing: text) } catch {
                throw GenesisError(line: entry.line, "'\(key)': \(error.message)")
            }
        case .integer(let value) where value >= 0:
            return Amount(UInt128(value))
        default:
            throw GenesisError(
                line: entry.line, "'\(key)' is an amount in base units, a decimal string such as \"1000000\"")
        }
    }

    public mutating func addresses(_ key: String) throws(GenesisError) -> [PublicKey] {
        guard let entry = entry(key) else { return [] }
        guard case .array(let items) = entry.value else {
            throw GenesisError(line: entry.line, "'\(key)' is an array of addresses")
        }
        var keys: [PublicKey] = []
        for item in items {
            guard case .string(let text) = item else {
                throw GenesisError(line: entry.line, "'\(key)' holds addresses as strings")
            }
            do { keys.append(try Address(parsing: text).publicKey) } catch {
                throw GenesisError(line: entry.line, "'\(key)': \(text): \(error.message)")
            }
        }
        guard Set(keys).count == keys.count else {
            throw GenesisError(line: entry.line, "'\(key)' lists the same key twice")
        }
        return keys
    }

    public mutating func address(_ key: String) throws(GenesisError) -> Address {
        let text = try string(key)
        do { return try Address(parsing: text) } catch {
            throw GenesisError(line: table[key]?.line ?? table.line, "'\(key)': \(error.message)")
        }
    }

    /// Refuses any key that was not read.
    public func rejectUnknownKeys() throws(GenesisError) {
        for key in table.keys where !used.contains(key) {
            throw GenesisError(line: table[key]?.line ?? table.line, "unknown key '\(key)' in [\(name)]")
        }
    }

    /// A number (a float, or an integer written without a point) in `range`.
    public mutating func number(_ key: String, default fallback: Double? = nil, in range: ClosedRange<Double>)
        throws(GenesisError) -> Double
    {
        guard let entry = entry(key) else {
            if let fallback { return fallback }
            throw GenesisError(line: table.line, "[\(name)] needs '\(key)'")
        }
        let value: Double
        switch entry.value {
        case .float(let number): value = number
        case .integer(let number): value = Double(number)
        default: throw GenesisError(line: entry.line, "'\(key)' is a number, not a \(entry.value.typeName)")
        }
        guard range.contains(value) else {
            throw GenesisError(line: entry.line, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// A sub-table, or nil when the key is absent.
    public mutating func table(_ key: String) throws(GenesisError) -> TOMLTable? {
        guard let entry = entry(key) else { return nil }
        guard case .table(let value) = entry.value else {
            throw GenesisError(line: entry.line, "'\(key)' is a table, not a \(entry.value.typeName)")
        }
        return value
    }

    /// An array of tables (`[[key]]`), empty when the key is absent.
    public mutating func tables(_ key: String) throws(GenesisError) -> [TOMLTable] {
        guard let entry = entry(key) else { return [] }
        guard case .array(let items) = entry.value else {
            throw GenesisError(line: entry.line, "'\(key)' is an array of tables ([[\(key)]])")
        }
        var tables: [TOMLTable] = []
        for item in items {
            guard case .table(let table) = item else {
                throw GenesisError(line: entry.line, "'\(key)' is an array of tables ([[\(key)]])")
            }
            tables.append(table)
        }
        return tables
    }
}
