import Core
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads the track points of a GPX file (1.0 or 1.1) into fixes: `lat`, `lon` and `<time>`
/// always; `<fix>` (none, 2d, 3d, dgps, pps), `<sat>`, `<hdop>` and `<speed>` (GPX 1.0, or an
/// extension element of that name) where the logger wrote them. A point without a time is an
/// error, as is a file that is not GPX.
public enum GPXReader {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The fixes of every track and segment in `data`, in file order.
    public static func fixes(in data: Data) throws(Failure) -> [GpsFix] {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse(), delegate.problem == nil, delegate.sawGPX else {
            let line = parser.lineNumber
            throw Failure(
                description: delegate.problem
                    ?? (delegate.sawGPX ? "the GPX file is not well-formed XML (line \(line))" : "the file is not GPX (no <gpx> element)"))
        }
        return withSpeeds(delegate.fixes)
    }

    /// `fixes` with each unknown speed (negative) taken from the distance to the neighbouring
    /// fix over the time between them.
    static func withSpeeds(_ fixes: [GpsFix]) -> [GpsFix] {
        var result = fixes
        for index in result.indices where result[index].speedMps < 0 {
            let other = index > 0 ? index - 1 : index + 1
            guard other < result.count, result[other].timestampMs != result[index].timestampMs else {
                result[index].speedMps = 0
                continue
            }
            result[index].speedMps = DriveGeometry.metres(result[index], result[other])
                / (Double(abs(result[index].timestampMs - result[other].timestampMs)) / 1000)
        }
        return result
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var fixes: [GpsFix] = []
        var problem: String?
        var sawGPX = false
        private var point: GpsFix?
        private var hasTime = false
        private var text = ""
        private var points = 0

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            text = ""
            let local = name.split(separator: ":").last.map(String.init) ?? name
            if local == "gpx" { sawGPX = true }
            guard local == "trkpt" else { return }
            points += 1
            guard let lat = attributes["lat"].flatMap(Double.init), let lng = attributes["lon"].flatMap(Double.init) else {
                fail(parser, "track point \(points) has no lat and lon")
                return
            }
            var fix = GpsFix()
            fix.lat = lat
            fix.lng = lng
            // A logger that says nothing of its fix is taken at its word: a GPS fix in 3D.
            fix.fixQuality = 1
            fix.fixMode = 3
            fix.hdop = 1
            fix.satellites = 4
            fix.speedMps = -1
            point = fix
            hasTime = false
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let local = name.split(separator: ":").last.map(String.init) ?? name
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            text = ""
            guard point != nil else { return }
            switch local {
            case "time":
                guard let date = Self.date(value) else {
                    fail(parser, "track point \(points) has an unreadable time \(value)")
                    return
                }
                point?.timestampMs = Int64((date.timeIntervalSince1970 * 1000).rounded())
                hasTime = true
            case "fix":
                let modes: [String: (quality: UInt32, mode: UInt32)] = [
                    "none": (0, 1), "2d": (1, 2), "3d": (1, 3), "dgps": (2, 3), "pps": (3, 3),
                ]
                guard let fix = modes[value] else {
                    fail(parser, "track point \(points) has an unknown fix \(value)")
                    return
                }
                point?.fixQuality = fix.quality
                point?.fixMode = fix.mode
            case "sat": point?.satellites = UInt32(value) ?? 0
            case "hdop": point?.hdop = Double(value) ?? 99
            case "speed": point?.speedMps = Double(value) ?? -1
            case "trkpt":
                guard hasTime, let fix = point else {
                    fail(parser, "track point \(points) has no time")
                    return
                }
                fixes.append(fix)
                point = nil
            default: break
            }
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            if problem == nil { problem = message }
            parser.abortParsing()
        }

        /// An ISO 8601 time, with or without fractional seconds.
        static func date(_ text: String) -> Date? {
            if let date = try? Date(text, strategy: .iso8601) { return date }
            return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
    }
}
