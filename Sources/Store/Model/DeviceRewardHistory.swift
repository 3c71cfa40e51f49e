import Rewards

/// A device's rewards over some closed epochs, as the API answers `GET /v1/devices/{id}/rewards`.
public struct DeviceRewardHistory: Sendable, Equatable {
    /// The last closed epoch; nil before the first close.
    public var lastClosed: Int64?
    /// The epochs asked about, newest first: the one named, or the recent closed ones.
    public var epochs: [Int64]
    /// The device's reward in each of them where it earned or sent reports.
    public var rewards: [Int64: EpochResult.DeviceReward]

    /// A history.
    public init(lastClosed: Int64?, epochs: [Int64], rewards: [Int64: EpochResult.DeviceReward]) {
        self.lastClosed = lastClosed
        self.epochs = epochs
        self.rewards = rewards
    }
}
