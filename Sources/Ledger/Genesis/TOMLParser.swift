/// Reads the TOML subset a genesis file is written in: comments, `[table]` and `[a.b]` headers,
/// `[[array.of.tables]]`, `key = value` with bare or quoted keys, basic and literal strings,
/// integers (with `_`), floats, booleans, arrays (over several lines, trailing comma allowed) and
/// inline tables. Every error names the line.
public struct TOMLParser {
    private let lines: [Substring]

    /// A parser over `text`.
    public init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The document's root table.
    public func parse() throws(GenesisError) -> TOMLTable {
        var root = TOMLTable()
        var path: [String] = []
        var lineIndex = 0
        while lineIndex < lines.count {
            let lineNumber = lineIndex + 1
            var cursor = Cursor(text: Array(lines[lineIndex].utf8), line: lineNumber)
            cursor.skipSpaces()
            if cursor.atEndOfContent {
                lineIndex += 1
                continue
            }
            if cursor.peek == UInt8(ascii: "[") {
                let isArray = cursor.peek(offset: 1) == UInt8(ascii: "[")
                cursor.advance(isArray ? 2 : 1)
                let headerPath = try cursor.parseKeyPath(terminator: UInt8(ascii: "]"))
                try cursor.expect("]")
                if isArray { try cursor.expect("]") }
                cursor.skipSpaces()
                guard cursor.atEndOfContent else { throw cursor.error("unexpected text after the table header") }
                if isArray {
                    try Self.appendTable(to: &root, path: headerPath, line: lineNumber)
                } else {
                    try Self.createTable(in: &root, path: headerPath, line: lineNumber)
                }
                path = headerPath
                lineIndex += 1
                continue
            }
            let key = try cursor.parseKey()
            cursor.skipSpaces()
            guard cursor.peek != UInt8(ascii: ".") else {
                throw cursor.error("dotted keys are not supported; write a [table] header instead")
            }
            try cursor.expect("=")
            cursor.skipSpaces()
            // A value may continue over further lines (arrays); give the cursor the rest of the file.
            var rest = Array(lines[lineIndex].utf8)
            var extraLines = 0
            var value: TOMLValue?
            while value == nil {
                var attempt = Cursor(text: rest, line: lineNumber)
                attempt.position = cursor.position
                do throws(GenesisError) {
                    let parsed = try attempt.parseValue()
                    attempt.skipSpaces()
                    guard attempt.atEndOfContent else { throw attempt.error("unexpected text after the value") }
                    value = parsed
                } catch {
                    guard error.isEndOfInput && lineIndex + extraLines + 1 < lines.count else { throw error }
                    extraLines += 1
                    rest.append(UInt8(ascii: "\n"))
                    rest.append(contentsOf: Array(lines[lineIndex + extraLines].utf8))
                }
            }
            try Self.insert(value!, key: key, at: path, in: &root, line: lineNumber)
            lineIndex += 1 + extraLines
        }
        return root
    }

    private static func createTable(in root: inout TOMLTable, path: [String], line: Int) throws(GenesisError) {
        try modify(&root, path: path.dropLast(), line: line) { (table: inout TOMLTable) throws(GenesisError) in
            let key = path.last!
            if let existing = table[key] {
                guard case .table(var sub) = existing.value, sub.line == 0 else {
                    throw GenesisError(line: line, "the table [\(path.joined(separator: "."))] is defined twice")
                }
                sub.line = line
                table[key] = .init(value: .table(sub), line: line)
            } else {
                table[key] = .init(value: .table(TOMLTable(line: line)), line: line)
            }
        }
    }

    private static func appendTable(to root: inout TOMLTable, path: [String], line: Int) throws(GenesisError) {
        try modify(&root, path: path.dropLast(), line: line) { (table: inout TOMLTable) throws(GenesisError) in
            let key = path.last!
            var array: [TOMLValue] = []
            if let existing = table[key] {
                guard case .array(let items) = existing.value else {
                    throw GenesisError(line: line, "'\(key)' is already a \(existing.value.typeName), not an array of tables")
                }
                array = items
            }
            array.append(.table(TOMLTable(line: line)))
            table[key] = .init(value: .array(array), line: existing(table[key], line))
        }
    }

    private static func existing(_ entry: TOMLTable.Entry?, _ line: Int) -> Int { entry?.line ?? line }

    private static func insert(
        _ value: TOMLValue, key: String, at path: [String], in root: inout TOMLTable, line: Int
    ) throws(GenesisError) {
        try modify(&root, path: path[...], line: line) { (table: inout TOMLTable) throws(GenesisError) in
            guard table[key] == nil else { throw GenesisError(line: line, "the key '\(key)' is set twice") }
            table[key] = .init(value: value, line: line)
        }
    }

    /// Walks `path` from `table` (into the last element of arrays of tables, as TOML does),
    /// creating implicit tables, and applies `body` to the table at its end.
    private static func modify(
        _ table: inout TOMLTable, path: ArraySlice<String>, line: Int,
        _ body: (inout TOMLTable) throws(GenesisError) -> Void
    ) throws(GenesisError) {
        guard let first = path.first else {
            try body(&table)
            return
        }
        let rest = path.dropFirst()
        switch table[first]?.value {
        case nil:
            // An implicit table: its line stays 0 so that a later header may define it.
            var sub = TOMLTable(line: 0)
            try modify(&sub, path: rest, line: line, body)
            table[first] = .init(value: .table(sub), line: line)
        case .table(var sub):
            try modify(&sub, path: rest, line: line, body)
            table[first]?.value = .table(sub)
        case .array(var items):
            guard case .table(var last)? = items.last else {
                throw GenesisError(line: line, "'\(first)' is an array of values, not of tables")
            }
            try modify(&last, path: rest, line: line, body)
            items[items.count - 1] = .table(last)
            table[first]?.value = .array(items)
        case let other?:
            throw GenesisError(line: line, "'\(first)' is a \(other.typeName), not a table")
        }
    }
}
