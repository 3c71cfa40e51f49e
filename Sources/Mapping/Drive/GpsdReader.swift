import Core
import Foundation

/// Reads gpsd's JSON protocol (what `gpspipe -w` prints, and what gpsd sends a client that asked
/// `?WATCH={"enable":true,"json":true}`), a report per line, into fixes: `TPV` reports give the
/// time, position, fix mode and speed; the latest `SKY` report gives the HDOP and the
/// satellites in use (`uSat`, or the count of `satellites` marked used). Other classes are
/// ignored; a line that is not JSON is skipped and counted.
public struct GpsdReader: Sendable {
    /// Lines skipped: not JSON.
    public private(set) var skipped = 0
    private var hdop = 99.0
    private var satellites: UInt32 = 0

    public init() {}

    /// The command that asks gpsd to stream JSON reports.
    public static let watch = "?WATCH={\"enable\":true,\"json\":true};\n"

    /// Reads one line; the fix it carried, if any.
    public mutating func read(_ line: String) -> GpsFix? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
            skipped += 1
            return nil
        }
        switch object["class"] as? String {
        case "SKY":
            if let value = Self.number(object["hdop"]) { hdop = value }
            if let used = Self.number(object["uSat"]) {
                satellites = UInt32(max(used, 0))
            } else if let list = object["satellites"] as? [[String: Any]] {
                satellites = UInt32(list.filter { $0["used"] as? Bool == true }.count)
            }
            return nil
        case "TPV":
            guard let lat = Self.number(object["lat"]), let lng = Self.number(object["lon"]),
                let time = object["time"] as? String, let date = Self.date(time)
            else { return nil }
            var fix = GpsFix()
            fix.timestampMs = Int64((date.timeIntervalSince1970 * 1000).rounded())
            fix.lat = lat
            fix.lng = lng
            let mode = UInt32(max(Self.number(object["mode"]) ?? 0, 0))
            fix.fixMode = mode
            // gpsd's status 2 is a DGPS fix; any 2D or 3D fix is at least a GPS fix.
            fix.fixQuality = mode >= 2 ? (Self.number(object["status"]) == 2 ? 2 : 1) : 0
            fix.satellites = satellites
            fix.hdop = hdop
            fix.speedMps = Self.number(object["speed"]) ?? -1
            return fix
        default:
            return nil
        }
    }

    static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    static func date(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }
}
