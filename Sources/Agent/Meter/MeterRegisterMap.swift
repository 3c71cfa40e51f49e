import Core
import Foundation

/// The register map the meter agent reads, SunSpec-style (docs/telemetry.md): from 40000 the
/// "SunS" marker; a common block (model 1) whose serial number is 32 ASCII characters; a meter
/// block (model 203) with power and voltage as int16 and uint16 with their scale factors, and the
/// lifetime exported and imported energy as uint32 watt-hours with theirs; 0xFFFF ends the map.
public enum MeterRegisterMap {
    /// The first register.
    public static let base: UInt16 = 40_000
    /// Registers from `base` that hold everything the agent reads.
    public static let count: UInt16 = 35

    /// The serial and a reading from the registers at `base`..<`base + count`.
    public static func decode(_ registers: [UInt16], at ms: Int64) throws -> (serial: String, reading: MeterReading) {
        guard registers.count >= Int(count) else { throw DeviceLinkError("too few registers") }
        guard registers[0] == 0x5375, registers[1] == 0x6E53 else {
            throw DeviceLinkError("no SunSpec marker ('SunS') at register \(base)")
        }
        guard registers[2] == 1, registers[20] == 203, registers[34] == 0xFFFF else {
            throw DeviceLinkError("the registers are not a common block (model 1) then a meter block (model 203)")
        }
        var bytes: [UInt8] = []
        for register in registers[4..<20] { bytes += [UInt8(register >> 8), UInt8(register & 0xFF)] }
        let serial = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        func scaled(_ value: Double, _ factor: UInt16) -> Double { value * pow(10, Double(Int16(bitPattern: factor))) }
        func long(_ index: Int) -> UInt64 { UInt64(registers[index]) << 16 | UInt64(registers[index + 1]) }
        var reading = MeterReading()
        reading.timestampMs = ms
        reading.powerW = scaled(Double(Int16(bitPattern: registers[22])), registers[23])
        reading.voltageV = scaled(Double(registers[24]), registers[25])
        let energyFactor = Int16(bitPattern: registers[30])
        guard (0...3).contains(energyFactor) else { throw DeviceLinkError("the energy scale factor is not 0 to 3") }
        var multiplier: UInt64 = 1
        for _ in 0..<energyFactor { multiplier *= 10 }
        reading.energyExportWh = long(26) * multiplier
        reading.energyImportWh = long(28) * multiplier
        return (serial, reading)
    }
}
