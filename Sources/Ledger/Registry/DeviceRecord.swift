import Core

/// A device as the registry holds it.
public struct DeviceRecord: Sendable, Equatable {
    /// The device's own key.
    public var key: PublicKey
    /// What the device is.
    public var kind: DeviceKind
    /// The account that owns it and is paid for its work.
    public var owner: Address
    /// The maker key that attested it.
    public var maker: PublicKey
    /// The asserted location, where the kind needs one.
    public var latitude: Double?
    /// The asserted location, where the kind needs one.
    public var longitude: Double?
    /// Antenna gain, dBi (hotspots).
    public var antennaGainDbi: Double = 0
    /// Antenna height above ground, metres (hotspots).
    public var elevationM: Double = 0
    /// When the current location was asserted by an AssertLocation (nil when it is the
    /// onboarding location); location trust restarts then.
    public var locationReassertedMs: Int64?
    /// When the node last accepted a report from it (nil before the first), milliseconds; on
    /// SQLite to within 10 s (the store writes it at most that often a device).
    public var lastReportMs: Int64?
    /// When it was onboarded, milliseconds since the Unix epoch.
    public var onboardedMs: Int64
    /// The nonce of its last accepted report (0 before the first): exact from a store's
    /// `device(_:)`; in listings from a SQLite store a floor under it (the report log holds the rest).
    public var lastReportNonce: UInt64

    /// A device record.
    public init(
        key: PublicKey, kind: DeviceKind, owner: Address, maker: PublicKey, latitude: Double? = nil,
        longitude: Double? = nil, onboardedMs: Int64, lastReportNonce: UInt64 = 0
    ) {
        self.key = key
        self.kind = kind
        self.owner = owner
        self.maker = maker
        self.latitude = latitude
        self.longitude = longitude
        self.onboardedMs = onboardedMs
        self.lastReportNonce = lastReportNonce
    }
}
