import Agent
import Core
import Testing

/// The SunSpec-style register map: the marker, the serial's ASCII, scale factors, 32-bit counters.
@Suite struct MeterRegisterMapTests {
    static func registers(power: Int16 = -2_945, powerScale: Int16 = 0, voltage: UInt16 = 2_400, energyScale: Int16 = 0) -> [UInt16] {
        var name = Array("SN-SOLAR-0042".utf8) + [UInt8](repeating: 0, count: 19)
        name = Array(name.prefix(32))
        let serial = stride(from: 0, to: 32, by: 2).map { UInt16(name[$0]) << 8 | UInt16(name[$0 + 1]) }
        let exported: UInt32 = 1_000_258
        return [0x5375, 0x6E53, 1, 16] + serial + [
            203, 12, UInt16(bitPattern: power), UInt16(bitPattern: powerScale), voltage, UInt16(bitPattern: -1),
            UInt16(exported >> 16), UInt16(exported & 0xFFFF), 7, 41_248, UInt16(bitPattern: energyScale), 0, 0, 0, 0xFFFF,
        ]
    }

    @Test func aMapDecodesWithItsScaleFactors() throws {
        let (serial, reading) = try MeterRegisterMap.decode(Self.registers(), at: 5)
        #expect(serial == "SN-SOLAR-0042" && reading.timestampMs == 5)
        #expect(reading.powerW == -2_945 && reading.voltageV == 240 && reading.energyExportWh == 1_000_258 && reading.energyImportWh == 500_000)
        let kilo = try MeterRegisterMap.decode(Self.registers(powerScale: 1, energyScale: 3), at: 5).reading
        #expect(kilo.powerW == -29_450 && kilo.energyExportWh == 1_000_258_000)
    }

    @Test func aMapWithoutTheMarkerOrModelsIsRefused() {
        var unmarked = Self.registers()
        unmarked[0] = 0
        #expect(throws: DeviceLinkError.self) { try MeterRegisterMap.decode(unmarked, at: 0) }
        var otherModel = Self.registers()
        otherModel[20] = 101
        #expect(throws: DeviceLinkError.self) { try MeterRegisterMap.decode(otherModel, at: 0) }
        #expect(throws: DeviceLinkError.self) { try MeterRegisterMap.decode(Array(Self.registers().prefix(10)), at: 0) }
    }
}
