import Rewards

extension EpochStore {
    /// What a close of `epoch` over [startMs, endMs) reads: its input without the log, and the
    /// log grouped by device, read side by side (they are independent reads of a frozen epoch,
    /// and each is tens of seconds at a million devices).
    public func closingRead(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> (
        input: EpochInput, reports: DeviceReports
    ) {
        async let input = epochInputWithoutReports(epoch: epoch, startMs: startMs, endMs: endMs)
        async let reports = acceptedReports(epoch: epoch, startMs: startMs, endMs: endMs)
        return try await (input, reports)
    }
}
