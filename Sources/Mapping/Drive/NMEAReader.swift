import Core
import Foundation

/// Reads NMEA 0183 as a GPS receiver writes it, a sentence per line, into fixes: RMC gives the
/// date, position, validity and speed; GGA the fix quality, satellites and HDOP; GSA the fix
/// mode (2D or 3D). Sentences of one epoch share their UTC time, and a fix is complete when a
/// sentence of the next time arrives (or at the end). Any talker (GP, GN, GL, GA, BD) is read;
/// a sentence whose checksum does not match, or that cannot be read, is skipped and counted.
/// It works line by line, so a dashcam can feed it from a file, a serial port or a socket.
public struct NMEAReader: Sendable {
    /// Lines skipped: bad checksums and unreadable sentences.
    public private(set) var skipped = 0
    /// The date of the fixes until an RMC sentence gives one (a GGA-only log has none).
    public var date: DateComponents?
    private var time: String?
    private var fix = GpsFix()
    private var hasPosition = false
    private var mode: UInt32 = 0

    /// A reader; `date` dates fixes before the first RMC (UTC year, month, day).
    public init(date: DateComponents? = nil) {
        self.date = date
    }

    /// Every fix in `text`, and how many lines were skipped.
    public static func fixes(in text: String, date: DateComponents? = nil) -> (fixes: [GpsFix], skipped: Int) {
        var reader = NMEAReader(date: date)
        var fixes: [GpsFix] = []
        for line in text.split(whereSeparator: \.isNewline) { fixes += reader.read(String(line)) }
        if let last = reader.finish() { fixes.append(last) }
        return (fixes, reader.skipped)
    }

    /// Reads one line; the fixes it completed (at most one).
    public mutating func read(_ line: String) -> [GpsFix] {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        guard let fields = Self.fields(of: trimmed), let kind = fields.first, kind.count >= 5 else {
            skipped += 1
            return []
        }
        switch String(kind.suffix(3)) {
        case "RMC": return rmc(fields)
        case "GGA": return gga(fields)
        case "GSA":
            if fields.count > 2, let value = UInt32(fields[2]) { mode = value }
            return []
        default: return []
        }
    }

    /// The last fix, if complete.
    public mutating func finish() -> GpsFix? {
        defer { time = nil }
        return completed()
    }

    /// A sentence's fields after its checksum is checked: "$GPGGA,…*hh" gives ["GPGGA", …].
    static func fields(of sentence: String) -> [String]? {
        guard sentence.first == "$" || sentence.first == "!", let star = sentence.lastIndex(of: "*") else { return nil }
        let body = sentence[sentence.index(after: sentence.startIndex)..<star]
        let written = sentence[sentence.index(after: star)...]
        guard written.count == 2, let expected = UInt8(written, radix: 16) else { return nil }
        guard body.utf8.reduce(UInt8(0), ^) == expected else { return nil }
        return body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    private mutating func rmc(_ fields: [String]) -> [GpsFix] {
        guard fields.count > 9 else {
            skipped += 1
            return []
        }
        let done = advance(to: fields[1])
        if fields[9].count == 6, let day = Int(fields[9].prefix(2)), let month = Int(fields[9].dropFirst(2).prefix(2)),
            let year = Int(fields[9].suffix(2))
        {
            date = DateComponents(year: year >= 80 ? 1900 + year : 2000 + year, month: month, day: day)
        }
        if fields[2] == "A", let lat = Self.degrees(fields[3], fields[4]), let lng = Self.degrees(fields[5], fields[6]) {
            fix.lat = lat
            fix.lng = lng
            hasPosition = true
        }
        if let knots = Double(fields[7]) { fix.speedMps = knots * 1852 / 3600 }
        if fields[2] == "V" { fix.fixQuality = 0 }
        return done
    }

    private mutating func gga(_ fields: [String]) -> [GpsFix] {
        guard fields.count > 8 else {
            skipped += 1
            return []
        }
        let done = advance(to: fields[1])
        if let lat = Self.degrees(fields[2], fields[3]), let lng = Self.degrees(fields[4], fields[5]) {
            fix.lat = lat
            fix.lng = lng
            hasPosition = true
        }
        fix.fixQuality = UInt32(fields[6]) ?? 0
        fix.satellites = UInt32(fields[7]) ?? 0
        fix.hdop = Double(fields[8]) ?? 99
        return done
    }

    /// Moves to the epoch at `text` (hhmmss.ss); the fix of the previous epoch if it is complete.
    private mutating func advance(to text: String) -> [GpsFix] {
        guard text != time else { return [] }
        let done = completed().map { [$0] } ?? []
        time = text
        fix = GpsFix()
        fix.hdop = 99
        hasPosition = false
        return done
    }

    /// The fix being built, when it has a position, a time and a date.
    private func completed() -> GpsFix? {
        guard hasPosition, let time, let date, let year = date.year, let month = date.month, let day = date.day,
            time.count >= 6, let hour = Int(time.prefix(2)), let minute = Int(time.dropFirst(2).prefix(2)),
            let seconds = Double(time.dropFirst(4))
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        var done = fix
        done.timestampMs = Int64((midnight.timeIntervalSince1970 + Double(hour * 3600 + minute * 60) + seconds) * 1000)
        done.fixMode = mode
        return done
    }

    /// ddmm.mmmm (or dddmm.mmmm) and a hemisphere as signed degrees.
    static func degrees(_ value: String, _ hemisphere: String) -> Double? {
        guard let dot = value.firstIndex(of: "."), value.distance(from: value.startIndex, to: dot) >= 3,
            let raw = Double(value)
        else { return nil }
        let whole = (raw / 100).rounded(.towardZero)
        let degrees = whole + (raw - whole * 100) / 60
        switch hemisphere {
        case "N", "E": return degrees
        case "S", "W": return -degrees
        default: return nil
        }
    }
}
