import ArgumentParser

/// A failure the CLI reports in one line and exits non-zero for.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
