import Foundation

extension TOMLParser {
    /// A position in the text of one logical line (a value may extend it over several lines).
    struct Cursor {
        var text: [UInt8]
        var line: Int
        var position = 0

        var peek: UInt8? { position < text.count ? text[position] : nil }
        func peek(offset: Int) -> UInt8? { position + offset < text.count ? text[position + offset] : nil }
        mutating func advance(_ count: Int = 1) { position += count }

        /// True at the end of the text or at a comment.
        var atEndOfContent: Bool { peek == nil || peek == UInt8(ascii: "#") || peek == UInt8(ascii: "\r") }

        /// The line the cursor is on, counting the newlines it has crossed.
        var currentLine: Int { line + text[..<min(position, text.count)].filter { $0 == UInt8(ascii: "\n") }.count }

        func error(_ message: String) -> GenesisError { GenesisError(line: currentLine, message) }

        func endOfInput(_ message: String) -> GenesisError {
            var error = GenesisError(line: currentLine, message)
            error.isEndOfInput = true
            return error
        }

        mutating func skipSpaces() {
            while let c = peek, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { advance() }
        }

        /// Skips spaces, newlines and comments inside arrays and inline tables.
        mutating func skipBlank() {
            while let c = peek {
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n")
                    || c == UInt8(ascii: "\r")
                {
                    advance()
                } else if c == UInt8(ascii: "#") {
                    while let d = peek, d != UInt8(ascii: "\n") { _ = d; advance() }
                } else {
                    return
                }
            }
        }

        mutating func expect(_ character: Character) throws(GenesisError) {
            skipSpaces()
            guard peek == character.asciiValue else {
                if peek == nil { throw endOfInput("expected '\(character)'") }
                throw error("expected '\(character)'")
            }
            advance()
        }

        mutating func parseKey() throws(GenesisError) -> String {
            skipSpaces()
            if peek == UInt8(ascii: "\"") { return try parseBasicString() }
            if peek == UInt8(ascii: "'") { return try parseLiteralString() }
            let start = position
            while let c = peek, Self.isBareKeyCharacter(c) { advance() }
            guard position > start else { throw error("expected a key") }
            return String(decoding: text[start..<position], as: UTF8.self)
        }

        mutating func parseKeyPath(terminator: UInt8) throws(GenesisError) -> [String] {
            var path = [try parseKey()]
            skipSpaces()
            while peek == UInt8(ascii: ".") {
                advance()
                path.append(try parseKey())
                skipSpaces()
            }
            guard peek == terminator else { throw error("expected ']' to close the table header") }
            return path
        }

        static func isBareKeyCharacter(_ c: UInt8) -> Bool {
            (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 || c == 45
        }

        mutating func parseValue() throws(GenesisError) -> TOMLValue {
            skipSpaces()
            guard let c = peek else { throw endOfInput("expected a value") }
            switch c {
            case UInt8(ascii: "\""): return .string(try parseBasicString())
            case UInt8(ascii: "'"): return .string(try parseLiteralString())
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "{"): return try parseInlineTable()
            default: return try parseScalar()
            }
        }

        mutating func parseBasicString() throws(GenesisError) -> String {
            advance()
            var out: [UInt8] = []
            while true {
                guard let c = peek, c != UInt8(ascii: "\n") else { throw error("a string is not closed on its line") }
                advance()
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") {
                    guard let e = peek else { throw error("a string ends in a lone backslash") }
                    advance()
                    switch e {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "\""): out.append(34)
                    case UInt8(ascii: "\\"): out.append(92)
                    case UInt8(ascii: "u"):
                        guard position + 4 <= text.count,
                            let code = UInt32(String(decoding: text[position..<position + 4], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { throw error("\\u needs four hex digits of a valid code point") }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        advance(4)
                    default: throw error("unknown escape '\\\(Character(UnicodeScalar(e)))'")
                    }
                } else {
                    out.append(c)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func parseLiteralString() throws(GenesisError) -> String {
            advance()
            let start = position
            while let c = peek, c != UInt8(ascii: "'") {
                guard c != UInt8(ascii: "\n") else { throw error("a string is not closed on its line") }
                advance()
            }
            guard peek != nil else { throw error("a string is not closed on its line") }
            let value = String(decoding: text[start..<position], as: UTF8.self)
            advance()
            return value
        }

        mutating func parseArray() throws(GenesisError) -> TOMLValue {
            advance()
            var items: [TOMLValue] = []
            while true {
                skipBlank()
                guard let c = peek else { throw endOfInput("an array is not closed") }
                if c == UInt8(ascii: "]") {
                    advance()
                    return .array(items)
                }
                items.append(try parseValue())
                skipBlank()
                guard let next = peek else { throw endOfInput("an array is not closed") }
                if next == UInt8(ascii: ",") {
                    advance()
                } else if next != UInt8(ascii: "]") {
                    throw error("expected ',' or ']' in an array")
                }
            }
        }

        mutating func parseInlineTable() throws(GenesisError) -> TOMLValue {
            let startLine = currentLine
            advance()
            var table = TOMLTable(line: startLine)
            skipSpaces()
            if peek == UInt8(ascii: "}") {
                advance()
                return .table(table)
            }
            while true {
                let key = try parseKey()
                try expect("=")
                let value = try parseValue()
                guard table[key] == nil else { throw error("the key '\(key)' is set twice") }
                table[key] = .init(value: value, line: currentLine)
                skipSpaces()
                guard let c = peek else { throw endOfInput("an inline table is not closed") }
                advance()
                if c == UInt8(ascii: "}") { return .table(table) }
                guard c == UInt8(ascii: ",") else { throw error("expected ',' or '}' in an inline table") }
            }
        }

        mutating func parseScalar() throws(GenesisError) -> TOMLValue {
            let start = position
            while let c = peek,
                c != UInt8(ascii: ","), c != UInt8(ascii: "]"), c != UInt8(ascii: "}"), c != UInt8(ascii: " "),
                c != UInt8(ascii: "\t"), c != UInt8(ascii: "#"), c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r")
            {
                advance()
            }
            let word = String(decoding: text[start..<position], as: UTF8.self)
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            let digits = word.replacingOccurrences(of: "_", with: "")
            if let integer = Int64(digits), !word.hasPrefix("_"), !word.hasSuffix("_") { return .integer(integer) }
            if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let float = Double(digits),
                float.isFinite
            {
                return .float(float)
            }
            if word.isEmpty { throw error("expected a value") }
            if digits.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) {
                throw error("\(word) does not fit a 64-bit integer; write large amounts as strings")
            }
            throw error("'\(word)' is not a value: strings need quotes")
        }
    }
}
