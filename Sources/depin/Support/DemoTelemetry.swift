import Agent
import Core
import Foundation
import Simulation

/// The demo's vehicle and meter readings, made in process: a car driving around town (speed,
/// rpm and coolant moving, the odometer climbing) with a VIN made from its key, and a rooftop
/// solar meter exporting a few kilowatts with its serial made from its key.
struct DemoTelemetry {
    let kind: DeviceKind
    let identity: String
    var odometerKm = 12_345.0
    var exportedWh = 1_000_000.0
    var lastMs: Int64?
    var step = 0

    init(kind: DeviceKind, key: SigningKey) {
        self.kind = kind
        let digest = SHA256Digest.hash(key.publicKey.rawRepresentation)
        identity =
            kind == .vehicle
            ? FleetWork.vin(key.publicKey) : "DEMO-" + digest.prefix(4).map { String(format: "%02X", $0) }.joined()
    }

    mutating func read(at ms: Int64) -> TelemetryRunner.Reading {
        defer { (lastMs, step) = (ms, step + 1) }
        let hours = Double(ms - (lastMs ?? ms)) / 3_600_000
        let wave = sin(Double(step) / 5)
        if kind == .vehicle {
            let speed = max(0, 40 + 25 * wave)
            odometerKm += speed * hours
            var sample = VehicleSample()
            sample.timestampMs = ms
            sample.speedKph = (speed * 10).rounded() / 10
            sample.rpm = (900 + speed * 35).rounded()
            sample.coolantC = 88 + Double(step % 4)
            sample.fuelPercent = max(5, 72 - Double(step) * 0.01)
            sample.odometerKm = (odometerKm * 100).rounded() / 100
            return .vehicle(vin: identity, sample)
        }
        let power = -(3_000 + 400 * wave).rounded()
        exportedWh += -power * hours
        var reading = MeterReading()
        reading.timestampMs = ms
        reading.powerW = power
        reading.voltageV = 239 + Double(step % 5) / 10
        reading.energyExportWh = UInt64(exportedWh)
        reading.energyImportWh = 500_000
        return .meter(serial: identity, reading)
    }
}
