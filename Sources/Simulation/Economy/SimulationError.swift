/// Why a simulation cannot run: the scenario does not fit the genesis, or asks for too much.
public struct SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for a person.
    public var message: String

    /// An error saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
