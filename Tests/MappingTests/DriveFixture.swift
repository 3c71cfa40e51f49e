import Core
import Foundation
import Geo
import Mapping
import SwiftProtobuf

/// Drives along real roads, as a dashcam would record them, written as fixes, NMEA and GPX.
///
/// The roads are `SampleStreets`: hand-written polylines of Market Street and Valencia Street in
/// San Francisco.
struct DriveFixture {
    static let marketStreet = SampleStreets.marketStreet.map { ($0.lat, $0.lng) }
    static let valenciaStreet = SampleStreets.valenciaStreet.map { ($0.lat, $0.lng) }

    /// Fixes once a second at `speed` m/s along `road`, from `startMs`, and a frame every
    /// `frameEvery` metres whose image hash is made from `seed`.
    static func drive(
        along road: [(Double, Double)], speed: Double = 10, startMs: Int64, seed: String, frameEvery: Double = 8
    ) -> (fixes: [GpsFix], frames: [FrameRecord]) {
        var legs: [(from: (Double, Double), to: (Double, Double), metres: Double)] = []
        for (a, b) in zip(road, road.dropFirst()) {
            legs.append((a, b, GreatCircle.metres(lat1: a.0, lng1: a.1, lat2: b.0, lng2: b.1)))
        }
        let total = legs.reduce(0) { $0 + $1.metres }
        func point(at distance: Double) -> (Double, Double) {
            var left = min(distance, total)
            for leg in legs {
                if left <= leg.metres {
                    let t = leg.metres > 0 ? left / leg.metres : 0
                    return (leg.from.0 + (leg.to.0 - leg.from.0) * t, leg.from.1 + (leg.to.1 - leg.from.1) * t)
                }
                left -= leg.metres
            }
            return road.last!
        }
        var fixes: [GpsFix] = []
        var second = 0
        while Double(second) * speed <= total {
            let (lat, lng) = point(at: Double(second) * speed)
            // GPS noise of up to about half a metre, the same for the same seed and second.
            let noise = SHA256Digest.hash(Data("\(seed)-\(second)".utf8))
            let north = (Double(noise[0]) / 255 - 0.5) * 1e-5, east = (Double(noise[1]) / 255 - 0.5) * 1e-5
            fixes.append(
                GpsFix.with {
                    $0.timestampMs = startMs + Int64(second) * 1_000
                    $0.lat = lat + north
                    $0.lng = lng + east
                    $0.fixQuality = 1
                    $0.fixMode = 3
                    $0.satellites = 9
                    $0.hdop = 0.9
                    $0.speedMps = speed
                })
            second += 1
        }
        var frames: [FrameRecord] = []
        var distance = 0.0
        while distance <= Double(second - 1) * speed {
            let (lat, lng) = point(at: distance)
            let index = frames.count
            frames.append(
                FrameRecord.with {
                    $0.timestampMs = startMs + Int64((distance / speed * 1_000).rounded())
                    $0.lat = lat
                    $0.lng = lng
                    $0.sha256 = SHA256Digest.hash(Data("\(seed)-frame-\(index)".utf8))
                })
            distance += frameEvery
        }
        return (fixes, frames)
    }

    /// A segment of `fixes` and `frames`.
    static func segment(_ drive: (fixes: [GpsFix], frames: [FrameRecord]), sequence: UInt32 = 0, id: UInt8 = 1) -> DriveSegment {
        DriveSegment.with {
            $0.drive = Data(repeating: id, count: 16)
            $0.sequence = sequence
            $0.fixes = drive.fixes
            $0.frames = drive.frames
        }
    }

    /// `fixes` as a receiver writes NMEA: RMC, GGA and GSA for each, with checksums.
    static func nmea(_ fixes: [GpsFix]) -> String {
        var lines: [String] = []
        for fix in fixes {
            let date = Date(timeIntervalSince1970: Double(fix.timestampMs) / 1_000)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
            let time = String(format: "%02d%02d%02d.%02d", parts.hour!, parts.minute!, parts.second!, parts.nanosecond! / 10_000_000)
            let day = String(format: "%02d%02d%02d", parts.day!, parts.month!, parts.year! % 100)
            let lat = angle(fix.lat, degreeDigits: 2, positive: "N", negative: "S")
            let lng = angle(fix.lng, degreeDigits: 3, positive: "E", negative: "W")
            let knots = String(format: "%.2f", fix.speedMps * 3600 / 1852)
            lines.append(sentence("GPRMC,\(time),A,\(lat),\(lng),\(knots),225.0,\(day),,,A"))
            lines.append(sentence("GPGGA,\(time),\(lat),\(lng),\(fix.fixQuality),\(String(format: "%02d", fix.satellites)),\(String(format: "%.1f", fix.hdop)),16.0,M,-29.0,M,,"))
            lines.append(sentence("GPGSA,A,\(fix.fixMode),05,07,09,13,15,20,21,30,,,,,1.6,\(String(format: "%.1f", fix.hdop)),1.3"))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `fixes` as a GPX 1.1 track.
    static func gpx(_ fixes: [GpsFix], speeds: Bool = false) -> String {
        let formatter = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let points = fixes.map { fix in
            let time = Date(timeIntervalSince1970: Double(fix.timestampMs) / 1_000).formatted(formatter)
            let speed = speeds ? "<extensions><speed>\(fix.speedMps)</speed></extensions>" : ""
            return "<trkpt lat=\"\(fix.lat)\" lon=\"\(fix.lng)\"><ele>16</ele><time>\(time)</time><fix>3d</fix><sat>\(fix.satellites)</sat><hdop>\(fix.hdop)</hdop>\(speed)</trkpt>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="depin tests" xmlns="http://www.topografix.com/GPX/1/1">
            <trk><name>drive</name><trkseg>
            \(points.joined(separator: "\n"))
            </trkseg></trk></gpx>
            """
    }

    static func angle(_ value: Double, degreeDigits: Int, positive: String, negative: String) -> String {
        let magnitude = abs(value)
        let degrees = Int(magnitude)
        let minutes = (magnitude - Double(degrees)) * 60
        return String(format: "%0\(degreeDigits)d%07.4f", degrees, minutes) + "," + (value >= 0 ? positive : negative)
    }

    static func sentence(_ body: String) -> String {
        "$" + body + "*" + String(format: "%02X", body.utf8.reduce(UInt8(0), ^))
    }
}
