/// Why a genesis file was refused: the line and the reason.
public struct GenesisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line the problem is on; 0 when it concerns the file as a whole.
    public var line: Int
    /// The reason.
    public var message: String
    /// True when the text ended inside a value (the parser then reads on into the next line).
    var isEndOfInput = false

    /// An error on `line`.
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    /// `line N: reason`, as editors and people read it.
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}
