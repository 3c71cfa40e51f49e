import Core

/// What one account may read of one device's telemetry, and until when.
public struct AccessGrant: Sendable, Equatable {
    /// Which grant: one per device and grantee.
    public struct Key: Sendable, Equatable {
        public var device: PublicKey
        public var grantee: Address

        public init(device: PublicKey, grantee: Address) {
            self.device = device
            self.grantee = grantee
        }
    }

    /// The device.
    public var device: PublicKey
    /// The account allowed.
    public var grantee: Address
    /// What it may read.
    public var privileges: Set<TelemetryPrivilege>
    /// When the grant ends.
    public var expiresMs: Int64
    /// When it was made.
    public var grantedMs: Int64

    /// A grant.
    public init(device: PublicKey, grantee: Address, privileges: Set<TelemetryPrivilege>, expiresMs: Int64, grantedMs: Int64) {
        self.device = device
        self.grantee = grantee
        self.privileges = privileges
        self.expiresMs = expiresMs
        self.grantedMs = grantedMs
    }
}

/// A privilege over a device's telemetry (after DIMO's privilege list).
public enum TelemetryPrivilege: String, Sendable, CaseIterable, Comparable {
    /// Where the vehicle is now.
    case currentLocation = "current_location"
    /// The centre of the H3 resolution-6 cell it is in (about 36 km²), never the point.
    case approximateLocation = "approximate_location"
    /// Where it has been.
    case locationHistory = "location_history"
    /// Speed, rpm, temperatures, fuel, odometer; a meter's power, voltage and counters.
    case liveData = "live_data"
    /// Stored trouble codes.
    case diagnosticCodes = "diagnostic_codes"
    /// The vehicle identification number (a meter's serial).
    case vin

    public static func < (lhs: TelemetryPrivilege, rhs: TelemetryPrivilege) -> Bool { lhs.rawValue < rhs.rawValue }
}
