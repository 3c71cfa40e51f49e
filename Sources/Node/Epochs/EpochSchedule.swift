import Ledger

/// Decides which epoch to close next and when: a pure state machine over the last closed epoch
/// and the clock, tested without I/O. Epochs close in order; epoch n closes once its end plus
/// the grace period has passed.
public struct EpochSchedule: Sendable {
    /// What the closer should do now.
    public enum Action: Sendable, Equatable {
        /// Close this epoch now.
        case close(epoch: Int64, startMs: Int64, endMs: Int64)
        /// Nothing is due before this time.
        case waitUntil(ms: Int64)
    }

    /// The genesis epoch timing.
    public let epochs: Genesis.Epochs

    /// A schedule for `epochs`.
    public init(epochs: Genesis.Epochs) {
        self.epochs = epochs
    }

    /// The next action given the last closed epoch (nil before any) at `nowMs`.
    public func next(lastClosed: Int64?, nowMs: Int64) -> Action {
        let epoch = (lastClosed ?? -1) + 1
        let endMs = epochs.endMs(of: epoch)
        let dueMs = endMs + Int64(epochs.graceSeconds) * 1000
        guard nowMs >= dueMs else { return .waitUntil(ms: dueMs) }
        return .close(epoch: epoch, startMs: epochs.startMs(of: epoch), endMs: endMs)
    }
}
