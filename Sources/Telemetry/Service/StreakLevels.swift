/// DIMO's streak rules, made epoch-based: a device climbs a level after the table's number of
/// good epochs in a row; a missed epoch pauses the streak (it neither grows nor resets); each
/// `missesPerLevel` misses in a row cost one level, the streak falling back to that level's start.
public struct StreakLevels: Sendable, Equatable {
    public let levels: [TelemetryParameters.Level]
    public let missesPerLevel: Int64

    /// The rules of `parameters`.
    public init(parameters: TelemetryParameters) {
        levels = parameters.levels
        missesPerLevel = parameters.missesPerLevel
    }

    /// The level (from 1) a streak of `streak` good epochs reaches.
    public func level(of streak: Int64) -> Int { levels.lastIndex { $0.epochs <= streak }.map { $0 + 1 } ?? 1 }

    /// The bonus points of that level.
    public func bonus(of streak: Int64) -> Int64 { levels[level(of: streak) - 1].bonus }

    /// A device's record after a good epoch.
    public func good(_ device: TelemetryState.Device) -> TelemetryState.Device {
        var next = device
        next.streak += 1
        next.misses = 0
        return next
    }

    /// A device's record after a missed epoch.
    public func missed(_ device: TelemetryState.Device) -> TelemetryState.Device {
        var next = device
        next.misses += 1
        if next.misses % missesPerLevel == 0 {
            let level = self.level(of: next.streak)
            next.streak = levels[max(level - 2, 0)].epochs
        }
        return next
    }
}
