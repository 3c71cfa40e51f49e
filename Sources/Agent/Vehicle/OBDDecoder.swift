import Foundation

/// OBD-II answers decoded by the formulas of SAE J1979 (mode 01 PIDs, mode 03 trouble codes,
/// mode 09 VIN). Pure functions over the data bytes an ELM327 returns after the mode and PID.
public enum OBDDecoder {
    /// PID 0D: vehicle speed, km/h (A).
    public static func speedKph(_ data: [UInt8]) -> Double? { data.count >= 1 ? Double(data[0]) : nil }

    /// PID 0C: engine speed, rpm ((256A + B) / 4).
    public static func rpm(_ data: [UInt8]) -> Double? { data.count >= 2 ? Double(Int(data[0]) << 8 | Int(data[1])) / 4 : nil }

    /// PID 05: engine coolant temperature, °C (A − 40).
    public static func coolantC(_ data: [UInt8]) -> Double? { data.count >= 1 ? Double(data[0]) - 40 : nil }

    /// PID 2F: fuel tank level, percent (100 A / 255).
    public static func fuelPercent(_ data: [UInt8]) -> Double? {
        data.count >= 1 ? (Double(data[0]) * 100 / 255 * 10).rounded() / 10 : nil
    }

    /// PID A6: odometer, km ((A·2²⁴ + B·2¹⁶ + C·2⁸ + D) / 10).
    public static func odometerKm(_ data: [UInt8]) -> Double? {
        guard data.count >= 4 else { return nil }
        return Double(data.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) / 10
    }

    /// Mode 09 PID 02: the VIN, 17 ASCII characters after the message count byte.
    public static func vin(_ data: [UInt8]) -> String? {
        let characters = data.drop { $0 < 0x20 }.filter { $0 >= 0x20 && $0 < 0x7F }
        guard characters.count >= 17 else { return nil }
        return String(decoding: characters.suffix(17), as: UTF8.self)
    }

    /// Mode 03: the stored trouble codes, two bytes each (the first two bits name the system:
    /// P powertrain, C chassis, B body, U network); 0000 pads. A CAN answer starts with the count.
    public static func troubleCodes(_ data: [UInt8], counted: Bool) -> [String] {
        var bytes = ArraySlice(data)
        if counted, !bytes.isEmpty { bytes = bytes.dropFirst() }
        var codes: [String] = []
        while bytes.count >= 2 {
            let (a, b) = (bytes[bytes.startIndex], bytes[bytes.startIndex + 1])
            bytes = bytes.dropFirst(2)
            guard a != 0 || b != 0 else { continue }
            let system = ["P", "C", "B", "U"][Int(a >> 6)]
            codes.append(system + String(a >> 4 & 0x3) + String(format: "%X%02X", a & 0xF, b))
        }
        return codes
    }

    /// Whether PID `pid` of mode 01 is supported, by the bitmaps of PIDs 00, 20, 40, … (`bitmaps`
    /// keyed by the base PID).
    public static func supports(_ pid: UInt8, bitmaps: [UInt8: [UInt8]]) -> Bool {
        guard pid > 0 else { return true }
        let base = (pid - 1) / 0x20 * 0x20
        guard let bitmap = bitmaps[base], bitmap.count >= 4 else { return false }
        let bit = Int(pid - 1 - base)
        return bitmap[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0
    }
}
