import Foundation

/// Where the node reads the time: the system clock, or a fixed one in tests.
public struct NodeClock: Sendable {
    /// Milliseconds since the Unix epoch.
    public var nowMs: @Sendable () -> Int64

    /// A clock that reads `nowMs`.
    public init(nowMs: @escaping @Sendable () -> Int64) {
        self.nowMs = nowMs
    }

    /// The system clock.
    public static let system = NodeClock { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A clock that always reads `ms`.
    public static func fixed(_ ms: Int64) -> NodeClock { NodeClock { ms } }
}
