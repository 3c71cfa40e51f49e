import Core
import Foundation

/// Reads a vehicle through an ELM327 session the way a telematics unit does: once, the VIN
/// (mode 09 PID 02) and which PIDs the car supports (PIDs 00, 20, …, A0); then, each sample,
/// speed, rpm, coolant temperature, fuel level and odometer where supported, and the stored
/// trouble codes (mode 03).
public struct VehicleReader {
    var session: ELM327Session
    /// The VIN the car reported.
    public private(set) var vin = ""
    var bitmaps: [UInt8: [UInt8]] = [:]

    /// A reader over a started session.
    public init(session: ELM327Session) {
        self.session = session
    }

    /// Reads the VIN and the supported-PID bitmaps.
    public mutating func identify() throws {
        var base: UInt8 = 0
        while true {
            guard let bitmap = try session.request(mode: 0x01, pid: base), bitmap.count >= 4 else { break }
            bitmaps[base] = bitmap
            // The last bit of each bitmap says whether the next one exists.
            guard bitmap[3] & 1 == 1, base < 0xC0 else { break }
            base += 0x20
        }
        guard let data = try session.request(mode: 0x09, pid: 0x02), let vin = OBDDecoder.vin(data) else {
            throw DeviceLinkError("the vehicle did not report a VIN (mode 09 PID 02)")
        }
        self.vin = vin
    }

    /// The readings the car supports, by name.
    public var supportedReadings: [String] {
        [(UInt8(0x0D), "speed"), (0x0C, "rpm"), (0x05, "coolant"), (0x2F, "fuel"), (0xA6, "odometer")]
            .filter { OBDDecoder.supports($0.0, bitmaps: bitmaps) }.map(\.1)
    }

    /// One sample now.
    public mutating func sample(at ms: Int64) throws -> VehicleSample {
        var sample = VehicleSample()
        sample.timestampMs = ms
        if let value = try read(0x0D).flatMap(OBDDecoder.speedKph) { sample.speedKph = value }
        if let value = try read(0x0C).flatMap(OBDDecoder.rpm) { sample.rpm = value }
        if let value = try read(0x05).flatMap(OBDDecoder.coolantC) { sample.coolantC = value }
        if let value = try read(0x2F).flatMap(OBDDecoder.fuelPercent) { sample.fuelPercent = value }
        if let value = try read(0xA6).flatMap(OBDDecoder.odometerKm) { sample.odometerKm = value }
        if let codes = try session.request(mode: 0x03, pid: nil) {
            sample.dtcs = OBDDecoder.troubleCodes(codes, counted: true)
        }
        return sample
    }

    /// A supported PID's data, or nil.
    mutating func read(_ pid: UInt8) throws -> [UInt8]? {
        guard OBDDecoder.supports(pid, bitmaps: bitmaps) else { return nil }
        return try session.request(mode: 0x01, pid: pid)
    }
}
