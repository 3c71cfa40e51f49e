import Core

/// The checks one vehicle batch passes as it arrives, each refusal with its reason code: a
/// well-formed VIN, samples in time order at a plausible rate, values within physical bounds,
/// an odometer that never falls or jumps, and no frozen source (the same readings again and
/// again while the engine runs).
public struct VehicleQuality: Sendable {
    public let parameters: TelemetryParameters

    /// Checks under `parameters`.
    public init(parameters: TelemetryParameters) {
        self.parameters = parameters
    }

    /// The VIN alphabet: digits and capitals less I, O and Q (ISO 3779).
    static let vinAlphabet = Set("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")

    /// Whether `vin` is 17 characters of the VIN alphabet.
    public static func isVIN(_ vin: String) -> Bool { vin.count == 17 && vin.allSatisfy { vinAlphabet.contains($0) } }

    /// The first reason `telemetry` does not count, or nil.
    public func check(_ telemetry: VehicleTelemetry, reportMs: Int64) -> TelemetryReason? {
        guard Self.isVIN(telemetry.vin) else { return .badVIN }
        let samples = telemetry.samples
        if let reason = SampleTiming(parameters: parameters).check(samples.map(\.timestampMs), reportMs: reportMs) { return reason }
        for sample in samples {
            if let reason = bounds(sample) { return reason }
        }
        var last: VehicleSample?
        for sample in samples where sample.hasOdometerKm {
            if let last {
                if sample.odometerKm < last.odometerKm { return .odometerBackwards }
                let hours = Double(sample.timestampMs - last.timestampMs) / 3_600_000
                if sample.odometerKm - last.odometerKm > parameters.maxOdometerKph * hours + 1 { return .odometerJump }
            }
            last = sample
        }
        return frozen(samples) ? .frozen : nil
    }

    /// A value outside what a road vehicle can read.
    func bounds(_ sample: VehicleSample) -> TelemetryReason? {
        let checks: [(Bool, Double, ClosedRange<Double>)] = [
            (sample.hasSpeedKph, sample.speedKph, 0...300), (sample.hasRpm, sample.rpm, 0...12_000),
            (sample.hasCoolantC, sample.coolantC, -40...215), (sample.hasFuelPercent, sample.fuelPercent, 0...100),
            (sample.hasOdometerKm, sample.odometerKm, 0...2_000_000),
        ]
        for (present, value, range) in checks where present && !(value.isFinite && range.contains(value)) { return .outOfBounds }
        if sample.hasLocation {
            let fix = sample.location
            guard fix.lat.isFinite, fix.lng.isFinite, abs(fix.lat) <= 90, abs(fix.lng) <= 180 else { return .outOfBounds }
        }
        return nil
    }

    /// Whether `frozenSamples` samples in a row read exactly the same while the engine runs.
    func frozen(_ samples: [VehicleSample]) -> Bool {
        var run = 1
        for (previous, sample) in zip(samples, samples.dropFirst()) {
            let same =
                sample.rpm > 0 && sample.rpm == previous.rpm && sample.speedKph == previous.speedKph
                && sample.coolantC == previous.coolantC && sample.fuelPercent == previous.fuelPercent
            run = same ? run + 1 : 1
            if run >= parameters.frozenSamples { return true }
        }
        return false
    }
}

/// The timing every telemetry batch shares: some samples, not too many, strictly increasing,
/// none after the report or older than the network takes, at a plausible rate.
struct SampleTiming {
    let parameters: TelemetryParameters

    func check(_ times: [Int64], reportMs: Int64) -> TelemetryReason? {
        guard let first = times.first, let last = times.last else { return .empty }
        guard times.count <= parameters.maxSamples else { return .tooManySamples }
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        guard gaps.allSatisfy({ $0 > 0 }) else { return .timesNotMonotonic }
        guard last <= reportMs + 60_000 else { return .fromTheFuture }
        guard first >= reportMs - parameters.maxAgeSeconds * 1_000 else { return .tooOld }
        if !gaps.isEmpty {
            let median = gaps.sorted()[gaps.count / 2]
            if gaps.contains(where: { $0 < parameters.minIntervalMs }) || median > parameters.maxIntervalSeconds * 1_000 {
                return .samplingRate
            }
        }
        return nil
    }
}
