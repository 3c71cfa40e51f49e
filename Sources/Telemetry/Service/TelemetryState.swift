import Foundation

/// What the telemetry network carries from epoch to epoch: which device each VIN and meter
/// serial is bound to (one vehicle, one reward), each device's last odometer and counters (so a
/// counter that falls between batches is caught), and its streak.
///
/// Encoded as JSON with sorted keys and integers only, so every oracle writes the same bytes.
public struct TelemetryState: Sendable, Equatable, Codable {
    /// One device's record.
    public struct Device: Sendable, Equatable, Codable {
        /// Its bound identity: "vin:…" or "serial:…".
        public var identity: String
        /// Good epochs that count toward its level.
        public var streak: Int64 = 0
        /// Epochs missed in a row.
        public var misses: Int64 = 0
        /// Its last odometer reading, metres.
        public var odometerM: Int64?
        /// Its last energy counters, watt-hours.
        public var importWh: UInt64?
        public var exportWh: UInt64?

        /// A device newly bound to `identity`.
        public init(identity: String) {
            self.identity = identity
        }
    }

    /// Devices by address.
    public var devices: [String: Device] = [:]
    /// The device bound to each identity.
    public var bindings: [String: String] = [:]

    /// An empty state.
    public init() {}

    /// Reads `bytes`; empty bytes are an empty state.
    public init(decoding bytes: Data) throws {
        guard !bytes.isEmpty else { return }
        self = try JSONDecoder().decode(Self.self, from: bytes)
    }

    /// The state's bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
