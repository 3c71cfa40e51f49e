import Core
import Ledger

/// The devices of one kind in one H3 cell, counted by the store for the map.
public struct CellTally: Sendable, Equatable {
    /// The cell's H3 index.
    public var cell: UInt64
    /// The devices' kind.
    public var kind: DeviceKind
    /// How many there are.
    public var devices: Int
    /// How many had a report accepted in the online window.
    public var online: Int

    /// A tally as given.
    public init(cell: UInt64, kind: DeviceKind, devices: Int, online: Int) {
        self.cell = cell
        self.kind = kind
        self.devices = devices
        self.online = online
    }
}
