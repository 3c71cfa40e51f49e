import Core

/// The checks one meter batch passes as it arrives: a serial, readings in time order at a
/// plausible rate, voltage and power within bounds, counters that never fall, and no frozen
/// source (voltage and power exactly the same reading after reading while power flows).
public struct MeterQuality: Sendable {
    public let parameters: TelemetryParameters

    /// Checks under `parameters`.
    public init(parameters: TelemetryParameters) {
        self.parameters = parameters
    }

    /// Whether `serial` is 1 to 64 printable ASCII characters.
    public static func isSerial(_ serial: String) -> Bool {
        (1...64).contains(serial.count) && serial.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
    }

    /// The first reason `batch` does not count, or nil.
    public func check(_ batch: MeterReadings, reportMs: Int64) -> TelemetryReason? {
        guard Self.isSerial(batch.serial) else { return .badSerial }
        let readings = batch.readings
        if let reason = SampleTiming(parameters: parameters).check(readings.map(\.timestampMs), reportMs: reportMs) { return reason }
        for reading in readings {
            guard reading.voltageV.isFinite, (0...1_000).contains(reading.voltageV), reading.powerW.isFinite,
                abs(reading.powerW) <= 1_000_000
            else { return .outOfBounds }
        }
        for (previous, reading) in zip(readings, readings.dropFirst())
        where reading.energyImportWh < previous.energyImportWh || reading.energyExportWh < previous.energyExportWh {
            return .energyCounterDecreased
        }
        var run = 1
        for (previous, reading) in zip(readings, readings.dropFirst()) {
            let same = reading.powerW != 0 && reading.powerW == previous.powerW && reading.voltageV == previous.voltageV
            run = same ? run + 1 : 1
            if run >= parameters.frozenSamples { return .frozen }
        }
        return nil
    }

    /// Energy exported between the first and last readings by the power readings (trapezoids of
    /// negative power), watt-hours.
    public static func integratedExportWh(_ readings: [MeterReading]) -> Double {
        var wattHours = 0.0
        for (a, b) in zip(readings, readings.dropFirst()) {
            let hours = Double(b.timestampMs - a.timestampMs) / 3_600_000
            wattHours += (max(-a.powerW, 0) + max(-b.powerW, 0)) / 2 * hours
        }
        return wattHours
    }
}
