/// Reads a service's own keys out of its genesis table (`[services.NAME]`): optional integers
/// and numbers within a range, and a refusal, with its line, of any key the service does not
/// read (usually a typo). Every error names the key as `services.NAME.KEY`.
public struct ServiceParameterReader: Sendable {
    public let table: TOMLTable
    /// `services.NAME`.
    public let prefix: String

    /// Keys the epoch engine itself reads from every service table.
    public static let engineKeys: Set<String> = ["usage_share_percent", "usage_capped_at_burn_value", "heartbeat_interval_s"]

    /// A reader of `service`'s table that refuses any key outside `known` and `engineKeys`;
    /// `what` names the service in the message.
    public init(_ service: Genesis.Service, known: Set<String>, what: String) throws(GenesisError) {
        table = service.parameters
        prefix = "services.\(service.name)"
        for key in table.keys where !known.contains(key) && !Self.engineKeys.contains(key) {
            throw GenesisError(
                line: table[key]?.line ?? table.line,
                "unknown key \(prefix).\(key); the \(what) reads \(known.sorted().joined(separator: ", "))")
        }
    }

    /// The integer at `key` within `range`; nil when the key is absent.
    public func integer(_ key: String, _ range: ClosedRange<Int64>) throws(GenesisError) -> Int64? {
        guard let entry = table[key] else { return nil }
        guard case .integer(let value) = entry.value, range.contains(value) else {
            throw GenesisError(line: entry.line, "\(prefix).\(key) is an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// The number (integer or float) at `key` within `range`; nil when the key is absent.
    public func number(_ key: String, _ range: ClosedRange<Double>) throws(GenesisError) -> Double? {
        guard let entry = table[key] else { return nil }
        let value: Double
        switch entry.value {
        case .integer(let whole): value = Double(whole)
        case .float(let real): value = real
        default: throw GenesisError(line: entry.line, "\(prefix).\(key) is a number in \(range.lowerBound)...\(range.upperBound)")
        }
        guard range.contains(value) else {
            throw GenesisError(line: entry.line, "\(prefix).\(key) is a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// The table of integer rows at `key` (an array of arrays, each `width` integers within
    /// `range`), with `rows` rows at most; nil when the key is absent.
    public func integerRows(_ key: String, width: Int, rows: ClosedRange<Int>, _ range: ClosedRange<Int64>) throws(GenesisError)
        -> [[Int64]]?
    {
        guard let entry = table[key] else { return nil }
        let shape = "\(prefix).\(key) is \(rows.lowerBound) to \(rows.upperBound) rows of \(width) integers in \(range.lowerBound)...\(range.upperBound)"
        guard case .array(let list) = entry.value, rows.contains(list.count) else { throw GenesisError(line: entry.line, shape) }
        var table: [[Int64]] = []
        for row in list {
            guard case .array(let cells) = row, cells.count == width else { throw GenesisError(line: entry.line, shape) }
            var values: [Int64] = []
            for cell in cells {
                guard case .integer(let value) = cell, range.contains(value) else { throw GenesisError(line: entry.line, shape) }
                values.append(value)
            }
            table.append(values)
        }
        return table
    }
}
