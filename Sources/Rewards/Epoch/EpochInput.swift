import Core
import Ledger

/// Everything an epoch's rewards are a function of, besides the genesis: the registry as the
/// epoch ends, the epoch's report log, paid usage, and what earlier epochs left. It is what
/// `GET /v1/epochs/{n}/inputs` serves, so any oracle can recompute the epoch on its own.
public struct EpochInput: Sendable, Equatable, Codable {
    /// A device as the registry held it when the epoch ended.
    public struct Device: Sendable, Equatable, Codable {
        /// The device's address.
        public var id: Address
        /// Its kind's name.
        public var kind: String
        /// Its owner then.
        public var owner: Address
        /// The owner's payout address then, if any.
        public var payout: EVMAddress?
        /// Its asserted location then, if it has one.
        public var location: Location?

        /// A snapshot row.
        public init(id: Address, kind: String, owner: Address, payout: EVMAddress?, location: Location? = nil) {
            self.id = id
            self.kind = kind
            self.owner = owner
            self.payout = payout
            self.location = location
        }
    }

    /// A device's asserted location and antenna, as the registry held them.
    public struct Location: Sendable, Equatable, Codable {
        /// Degrees.
        public var lat: Double
        /// Degrees.
        public var lng: Double
        /// Antenna gain, dBi.
        public var antennaGainDbi: Double
        /// Antenna height above ground, metres.
        public var elevationM: Double
        /// When it was asserted by an AssertLocation (nil for the onboarding location).
        public var reassertedMs: Int64?

        enum CodingKeys: String, CodingKey {
            case lat, lng
            case antennaGainDbi = "antenna_gain_dbi"
            case elevationM = "elevation_m"
            case reassertedMs = "reasserted_ms"
        }

        /// A location.
        public init(lat: Double, lng: Double, antennaGainDbi: Double = 0, elevationM: Double = 0, reassertedMs: Int64? = nil) {
            self.lat = lat
            self.lng = lng
            self.antennaGainDbi = antennaGainDbi
            self.elevationM = elevationM
            self.reassertedMs = reassertedMs
        }
    }

    /// One report of the epoch's log: its position and its signed bytes, hex.
    public struct LoggedReport: Sendable, Equatable, Codable {
        /// Its position in the node's log.
        public var id: Int64
        /// The signed report, canonical bytes in hex.
        public var bytes: String

        /// A log row.
        public init(id: Int64, bytes: String) {
            self.id = id
            self.bytes = bytes
        }
    }

    /// The epoch.
    public var epoch: Int64
    /// Its first millisecond.
    public var startMs: Int64
    /// The millisecond after its last.
    public var endMs: Int64
    /// The registry at the epoch's end, sorted by device.
    public var devices: [Device]
    /// The epoch's reports in log order.
    public var reports: [LoggedReport]
    /// Credits each device earned serving paid usage in the epoch.
    public var usage: [String: Amount]
    /// Emission of all earlier epochs (minted or carried), for the supply cap.
    public var emittedBefore: Amount
    /// Tokens burned in the epoch.
    public var burned: Amount
    /// Pool amounts carried into this epoch, by service.
    public var carried: [String: Amount]
    /// Cumulative settled totals per payout address after the previous epoch.
    public var previousCumulative: [String: Amount]
    /// Each service's state after the previous epoch, base64, by service (absent: none).
    public var states: [String: String]
    /// Reports refused at ingest in the epoch, by device address and reason code.
    public var refused: [String: [String: Int]]
    /// Bounties in force in the epoch, with this epoch's part of their credits.
    public var bounties: [AreaBounty]
    /// Devices on the operators' denylist in the epoch, sorted: they earn nothing and their
    /// reports count for nothing.
    public var denylist: [Address]
    /// Service parameters the operators changed, in force in the epoch: the engine runs under
    /// the genesis with these applied.
    public var parameters: [ParameterOverride]

    enum CodingKeys: String, CodingKey {
        case epoch, devices, reports, usage, burned, carried, states, refused, bounties, denylist, parameters
        case startMs = "start_ms"
        case endMs = "end_ms"
        case emittedBefore = "emitted_before"
        case previousCumulative = "previous_cumulative"
    }

    /// Decodes an input; the keys added after the first release may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epoch = try container.decode(Int64.self, forKey: .epoch)
        startMs = try container.decode(Int64.self, forKey: .startMs)
        endMs = try container.decode(Int64.self, forKey: .endMs)
        devices = try container.decode([Device].self, forKey: .devices)
        reports = try container.decode([LoggedReport].self, forKey: .reports)
        usage = try container.decode([String: Amount].self, forKey: .usage)
        emittedBefore = try container.decode(Amount.self, forKey: .emittedBefore)
        burned = try container.decode(Amount.self, forKey: .burned)
        carried = try container.decode([String: Amount].self, forKey: .carried)
        previousCumulative = try container.decode([String: Amount].self, forKey: .previousCumulative)
        states = try container.decodeIfPresent([String: String].self, forKey: .states) ?? [:]
        refused = try container.decodeIfPresent([String: [String: Int]].self, forKey: .refused) ?? [:]
        bounties = try container.decodeIfPresent([AreaBounty].self, forKey: .bounties) ?? []
        denylist = try container.decodeIfPresent([Address].self, forKey: .denylist) ?? []
        parameters = try container.decodeIfPresent([ParameterOverride].self, forKey: .parameters) ?? []
    }

    /// An input.
    public init(
        epoch: Int64, startMs: Int64, endMs: Int64, devices: [Device], reports: [LoggedReport],
        usage: [String: Amount] = [:], emittedBefore: Amount, burned: Amount = .zero,
        carried: [String: Amount] = [:], previousCumulative: [String: Amount] = [:], states: [String: String] = [:],
        refused: [String: [String: Int]] = [:], bounties: [AreaBounty] = [], denylist: [Address] = [],
        parameters: [ParameterOverride] = []
    ) {
        self.epoch = epoch
        self.startMs = startMs
        self.endMs = endMs
        self.devices = devices
        self.reports = reports
        self.usage = usage
        self.emittedBefore = emittedBefore
        self.burned = burned
        self.carried = carried
        self.previousCumulative = previousCumulative
        self.states = states
        self.refused = refused
        self.bounties = bounties
        self.denylist = denylist
        self.parameters = parameters
    }
}
