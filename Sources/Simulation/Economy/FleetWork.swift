import Core
import Foundation

/// What a simulated device of a fleet sends in an epoch, in the wire format its service's
/// module scores: heartbeats for a service paid by uptime, OBD-II batches for a vehicle and
/// Modbus readings for a meter under the telemetry module. A cohort's representative sends them
/// for its whole cohort. The reports are unsigned: the engine's verified path takes them as they
/// are, and a caller that wants them signed signs them with the cohort's key.
public enum FleetWork: Sendable, Equatable {
    /// One heartbeat per interval (milliseconds) for the share of the epoch the device is up.
    case heartbeats(intervalMs: Int64)
    /// A vehicle that drives on its uptime's share of epochs and sends one batch when it does.
    case vehicle
    /// A rooftop solar meter whose uptime is its capacity factor: it reports all epoch long and
    /// exports that share of its 5 kW peak.
    case meter

    /// The meter's peak export, watts.
    static let meterPeakW = 5_000.0

    /// The reports of `cohort`'s representative in the epoch [startMs, endMs).
    func reports(for cohort: DeviceFleet.Cohort, epoch: Int, startMs: Int64, endMs: Int64, originMs: Int64)
        -> [Report]
    {
        let device = cohort.key.publicKey.rawRepresentation
        func report(_ body: Report.OneOf_Body, at ms: Int64, nonce: Int) -> Report {
            var report = Report()
            report.device = device
            report.nonce = UInt64(epoch) << 24 | UInt64(nonce)
            report.timestampMs = ms
            report.body = body
            return report
        }
        let length = endMs - startMs
        switch self {
        case .heartbeats(let interval):
            let slots = max(1, length / interval)
            let count = Int((Double(slots) * cohort.uptime).rounded())
            return (0..<count).map { report(.heartbeat(Heartbeat()), at: startMs + Int64($0) * interval, nonce: $0 + 1) }
        case .vehicle:
            // Drives on exactly its uptime's share of epochs, spread out (a phase per tier, so a
            // device drives on the same days whether it is scored alone or in its cohort).
            let phase = Double(cohort.tier * 7 + (cohort.region ?? -1) * 3 + cohort.fleet) * 0.618_033_988_7
            let drives = (Double(epoch + 1) * cohort.uptime + phase).rounded(.down) > (Double(epoch) * cohort.uptime + phase).rounded(.down)
            guard drives else { return [] }
            let gap = min(300_000, length / 24)
            var telemetry = VehicleTelemetry()
            telemetry.vin = Self.vin(cohort.key.publicKey)
            // 50 km a day of driving: the odometer only climbs, across batches and epochs.
            var odometer = 10_000.0 + Double(epoch) * 50
            for index in 0..<12 {
                var sample = VehicleSample()
                sample.timestampMs = startMs + gap * Int64(index + 1)
                let speed = 36 + 8 * sin(Double(index))
                sample.speedKph = (speed * 10).rounded() / 10
                sample.rpm = (900 + speed * 35).rounded()
                sample.coolantC = 88 + Double(index % 4)
                sample.fuelPercent = 60
                odometer += speed * Double(gap) / 3_600_000
                sample.odometerKm = (odometer * 100).rounded(.down) / 100
                telemetry.samples.append(sample)
            }
            return [report(.vehicleTelemetry(telemetry), at: startMs + gap * 13, nonce: 1)]
        case .meter:
            // A batch a day (a batch's readings span at most a day), readings evenly spaced;
            // the counter is the exported power integrated since the origin, so it carries on
            // from batch to batch and epoch to epoch.
            let power = Self.meterPeakW * cohort.uptime
            var reports: [Report] = []
            var windowStart = startMs
            while windowStart < endMs {
                let windowEnd = min(endMs, windowStart + 86_400_000)
                let gap = max(1_000, min(600_000, (windowEnd - windowStart) / 12))
                let count = Int(min(3_600, max(0, windowEnd - windowStart - 1_000) / gap))
                var batch = MeterReadings()
                batch.serial = "SIM-" + cohort.address.description.suffix(16)
                for index in 0..<count {
                    let ms = windowStart + gap * Int64(index)
                    var reading = MeterReading()
                    reading.timestampMs = ms
                    reading.powerW = -(power + Double(index % 7))
                    reading.voltageV = 239 + Double(index % 5) / 10
                    reading.energyExportWh = UInt64(power * Double(ms - originMs) / 3_600_000)
                    reading.energyImportWh = 500_000
                    batch.readings.append(reading)
                }
                if count >= 2 { reports.append(report(.meterReadings(batch), at: windowEnd - 1, nonce: reports.count + 1)) }
                windowStart = windowEnd
            }
            return reports
        }
    }

    /// A well-formed VIN (ISO 3779's alphabet) made from a device's key: the simulator's and the
    /// demo's cars.
    public static func vin(_ key: PublicKey) -> String {
        let digest = SHA256Digest.hash(key.rawRepresentation)
        let alphabet = Array("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
        return "1DSMS0" + String(digest.prefix(11).map { alphabet[Int($0) % alphabet.count] })
    }
}
