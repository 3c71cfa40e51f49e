/// A device on the other end of a link (an OBD-II adapter, a Modbus meter) that could not be
/// reached or answered something the agent cannot use; the sentence says which.
public struct DeviceLinkError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
