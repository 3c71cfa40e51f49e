import Core
import Foundation
import Ledger
import Rewards

/// The telemetry network's service (DIMO's row, and energy meters). Vehicles submit signed
/// `vehicle_telemetry` batches (OBD-II readings with the VIN), meters `meter_readings` (Modbus
/// counters with the serial). Each batch passes `VehicleQuality` or `MeterQuality` as it
/// arrives. When the epoch closes, batches are taken in report order against the state the last
/// epoch left: an identity already bound to another device is refused (one vehicle, one
/// reward), and counters must carry on from where they were. A device whose batches mostly
/// passed is connected for the epoch and earns its kind's points plus its streak level's bonus;
/// a meter also earns for the energy it exported, when its counter agrees with its power
/// readings. A device that misses an epoch pauses its streak and loses a level every
/// `misses_per_level` misses in a row (`StreakLevels`).
public struct TelemetryService: NetworkService {
    public let name: String
    public let reportTypes: [String: Set<DeviceKind>]
    public let parameters: TelemetryParameters
    let vehicles: VehicleQuality
    let meters: MeterQuality
    let streaks: StreakLevels

    /// The service for `service`'s genesis table; a bad parameter is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        name = service.name
        parameters = try TelemetryParameters(service: service)
        vehicles = VehicleQuality(parameters: parameters)
        meters = MeterQuality(parameters: parameters)
        streaks = StreakLevels(parameters: parameters)
        let kinds = Set(service.kinds)
        var types: [String: Set<DeviceKind>] = ["heartbeat": kinds]
        if kinds.contains(.vehicle) { types["vehicle_telemetry"] = [.vehicle] }
        if kinds.contains(.meter) { types["meter_readings"] = [.meter] }
        reportTypes = types
    }

    public func validate(_ report: Report, kind: DeviceKind) -> String? {
        switch report.body {
        case .vehicleTelemetry(let telemetry)?: vehicles.check(telemetry, reportMs: report.timestampMs)?.rawValue
        case .meterReadings(let batch)?: meters.check(batch, reportMs: report.timestampMs)?.rawValue
        default: nil
        }
    }

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] { close(epoch).scores }

    public func close(_ epoch: ServiceEpoch) -> ServiceOutcome {
        var state = (try? TelemetryState(decoding: epoch.state)) ?? TelemetryState()
        var batches: [(device: Address, report: Report)] = []
        for device in epoch.devices {
            for report in epoch.reports[device.id] ?? [] where report.typeName != "heartbeat" { batches.append((device.id, report)) }
        }
        batches.sort { ($0.report.timestampMs, $0.device.description, $0.report.nonce) < ($1.report.timestampMs, $1.device.description, $1.report.nonce) }
        var scores: [Address: ServiceScore] = [:]
        var exported: [Address: [MeterReading]] = [:]
        for (device, report) in batches {
            var score = scores[device] ?? ServiceScore(shares: 0, counted: 0)
            if let reason = carryOn(report, device: device, state: &state) {
                score.rejected[reason.rawValue, default: 0] += 1
            } else {
                score.counted += 1
                if case .meterReadings(let batch)? = report.body { exported[device, default: []] += batch.readings }
            }
            scores[device] = score
        }
        for device in epoch.devices {
            let key = device.id.description
            guard let record = state.devices[key] else { continue }
            var score = scores[device.id] ?? ServiceScore(shares: 0, counted: 0)
            let refused = epoch.refused[device.id]?.values.reduce(0, +) ?? 0
            let all = score.counted + score.rejected.values.reduce(0, +) + refused
            let quality = all == 0 ? 0 : Int64(score.counted * 1_000 / all)
            guard score.counted > 0, quality >= parameters.minQuality else {
                if all > 0 { score.rejected[TelemetryReason.lowQuality.rawValue, default: 0] += 1 }
                state.devices[key] = streaks.missed(record)
                scores[device.id] = score
                continue
            }
            let updated = streaks.good(record)
            state.devices[key] = updated
            let base = device.kind == DeviceKind.meter.name ? parameters.meterPoints : parameters.vehiclePoints
            var points = base + streaks.bonus(of: updated.streak)
            if let readings = exported[device.id] {
                if let energy = verifiedExportWh(readings) {
                    points += Int64(energy / 1_000) * parameters.pointsPerKWh
                } else {
                    score.rejected[TelemetryReason.energyUnverified.rawValue, default: 0] += 1
                }
            }
            score.shares = UInt128(points)
            score.multiplier = base > 0 ? Permille.decimal(Int(points * 1_000 / base)) : "1.000"
            scores[device.id] = score
        }
        return ServiceOutcome(scores: scores, usage: epoch.paid, state: state.encoded())
    }

    /// Binds the batch's identity and checks that its counters carry on from the device's last;
    /// nil when it counts (and the state has moved on), else why not.
    func carryOn(_ report: Report, device: Address, state: inout TelemetryState) -> TelemetryReason? {
        let key = device.description
        let identity: String
        var odometers: [Int64] = []
        var counters: [(UInt64, UInt64)] = []
        switch report.body {
        case .vehicleTelemetry(let telemetry)?:
            identity = "vin:" + telemetry.vin
            odometers = telemetry.samples.filter(\.hasOdometerKm).map { Int64(($0.odometerKm * 1_000).rounded()) }
        case .meterReadings(let batch)?:
            identity = "serial:" + batch.serial
            counters = batch.readings.map { ($0.energyImportWh, $0.energyExportWh) }
        default:
            return nil
        }
        if let owner = state.bindings[identity], owner != key {
            return identity.hasPrefix("vin:") ? .vinBoundElsewhere : .serialBoundElsewhere
        }
        var record = state.devices[key] ?? TelemetryState.Device(identity: identity)
        guard record.identity == identity else { return .identityChanged }
        if let last = record.odometerM, let first = odometers.first, first < last { return .odometerBackwards }
        if let first = counters.first, first.0 < record.importWh ?? 0 || first.1 < record.exportWh ?? 0 {
            return .energyCounterDecreased
        }
        if let last = odometers.last { record.odometerM = last }
        if let last = counters.last { (record.importWh, record.exportWh) = (last.0, last.1) }
        state.bindings[identity] = key
        state.devices[key] = record
        return nil
    }

    /// The energy a meter exported over `readings` by its counter, when the power readings
    /// account for it within the tolerance; nil when they do not.
    func verifiedExportWh(_ readings: [MeterReading]) -> UInt64? {
        let sorted = readings.sorted { $0.timestampMs < $1.timestampMs }
        guard let first = sorted.first, let last = sorted.last, last.energyExportWh >= first.energyExportWh else { return nil }
        let counted = Double(last.energyExportWh - first.energyExportWh)
        let integrated = MeterQuality.integratedExportWh(sorted)
        let slack = max(counted, integrated) * Double(parameters.energyTolerancePercent) / 100 + 1
        return abs(counted - integrated) <= slack ? last.energyExportWh - first.energyExportWh : nil
    }
}
