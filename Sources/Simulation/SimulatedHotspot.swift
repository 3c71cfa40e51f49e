import Core
import Foundation

/// A hotspot in a simulated world: where it says it is, where it really is, and how it behaves.
public struct SimulatedHotspot: Sendable {
    /// How a hotspot behaves.
    public enum Role: String, Sendable, CaseIterable {
        /// Beacons on schedule, witnesses what its radio hears, tells the truth.
        case honest
        /// Asserts a location far from where it really is (and reports the asserted one).
        case spoofer
        /// One of a ring that fabricates witnesses for each other, with plausible signals, from
        /// asserted places where none of them is.
        case ring
        /// Has no radio; replays beacons and witnesses captured in earlier epochs.
        case replayer
        /// Beacons every minute instead of once per beacon interval.
        case spammer
        /// One of a cluster crowded into one hex to farm rewards.
        case cluster
    }

    /// The device key.
    public let key: SigningKey
    /// The owner's account.
    public let owner: Address
    /// The asserted location, degrees.
    public var asserted: (lat: Double, lng: Double)
    /// Where the radio really is, degrees.
    public var actual: (lat: Double, lng: Double)
    /// Antenna gain, dBi.
    public var gainDbi: Double
    /// Its behaviour.
    public var role: Role

    /// A hotspot.
    public init(
        key: SigningKey, owner: Address, asserted: (lat: Double, lng: Double), actual: (lat: Double, lng: Double),
        gainDbi: Double, role: Role
    ) {
        self.key = key
        self.owner = owner
        self.asserted = asserted
        self.actual = actual
        self.gainDbi = gainDbi
        self.role = role
    }

    /// Whether its radio really receives beacons.
    var listens: Bool { role == .honest || role == .spoofer || role == .cluster }
}
