/// Why a telemetry batch (or its device's epoch) did not count. The raw values are the reason
/// codes owners see in their reward explanations; docs/telemetry.md lists each with its rule.
public enum TelemetryReason: String, Sendable, CaseIterable {
    case empty = "telemetry_empty"
    case tooManySamples = "telemetry_too_many_samples"
    case timesNotMonotonic = "telemetry_time_not_monotonic"
    case fromTheFuture = "telemetry_from_the_future"
    case tooOld = "telemetry_too_old"
    case samplingRate = "telemetry_sampling_rate"
    case outOfBounds = "telemetry_out_of_bounds"
    case frozen = "telemetry_frozen"
    case badVIN = "vin_malformed"
    case badSerial = "serial_malformed"
    case odometerBackwards = "odometer_backwards"
    case odometerJump = "odometer_jump"
    case energyCounterDecreased = "energy_counter_decreased"
    case vinBoundElsewhere = "vin_bound_elsewhere"
    case serialBoundElsewhere = "serial_bound_elsewhere"
    case identityChanged = "telemetry_identity_changed"
    case lowQuality = "telemetry_low_quality"
    case energyUnverified = "energy_unverified"

    /// What the code means, for people.
    public var explanation: String {
        switch self {
        case .empty: "the batch carries no samples"
        case .tooManySamples: "the batch carries more samples than the network takes in one"
        case .timesNotMonotonic: "the samples' times do not strictly increase"
        case .fromTheFuture: "a sample is dated after the report that carries it"
        case .tooOld: "a sample is older than the network accepts"
        case .samplingRate: "samples come faster or slower than the network's sampling bounds"
        case .outOfBounds: "a value is outside physical bounds (speed, rpm, temperature, fuel, voltage, power)"
        case .frozen: "the values stay exactly the same while the engine runs or power flows: a stuck or replayed source"
        case .badVIN: "the VIN is not 17 characters of the VIN alphabet (no I, O or Q)"
        case .badSerial: "the meter serial is empty, too long or not printable"
        case .odometerBackwards: "the odometer reads less than before"
        case .odometerJump: "the odometer moved farther than the vehicle could have driven"
        case .energyCounterDecreased: "an energy counter reads less than before"
        case .vinBoundElsewhere: "another device is bound to this VIN: one vehicle, one reward"
        case .serialBoundElsewhere: "another device is bound to this meter serial"
        case .identityChanged: "the device reported a different VIN or serial from the one it is bound to"
        case .lowQuality: "too little of the device's data passed the checks this epoch to count as connected"
        case .energyUnverified: "the export counter moved by more or less than the power readings account for"
        }
    }
}
