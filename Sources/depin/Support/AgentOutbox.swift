import Core
import Synchronization

/// What a device's recorder has made and its agent has not yet queued, and whether the recorder
/// is done: the bridge between a dashcam's or a vehicle's reading loop and `DeviceAgent`.
final class AgentOutbox: Sendable {
    let state = Mutex<(bodies: [Report.OneOf_Body], done: Bool)>(([], false))

    /// Adds report bodies to queue.
    func put(_ bodies: [Report.OneOf_Body]) {
        state.withLock { $0.bodies += bodies }
    }

    /// Takes everything made so far.
    func take() -> [Report.OneOf_Body] {
        state.withLock { state in
            defer { state.bodies = [] }
            return state.bodies
        }
    }

    /// Says the recorder will make nothing more.
    func finish() { state.withLock { $0.done = true } }

    /// Whether the recorder is done and everything it made was taken.
    var drained: Bool { state.withLock { $0.done && $0.bodies.isEmpty } }
}
