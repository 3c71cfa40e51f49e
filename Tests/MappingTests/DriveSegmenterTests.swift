import Core
import Foundation
import Mapping
import Testing

/// The dashcam's pipeline as fixes stream in: frames by distance, privacy as a stream, segments
/// that pass the network's gates; and gpsd's JSON as a live source.
@Suite struct DriveSegmenterTests {
    let startMs: Int64 = 1_795_000_000_000

    func segments(of fixes: [GpsFix], zones: [DrivePrivacy.Zone] = []) -> [DriveSegment] {
        var segmenter = DriveSegmenter(privacy: DrivePrivacy(trimM: 100, zones: zones), segmentMs: 60_000) { fix in
            SHA256Digest.hash(Data("frame at \(fix.timestampMs)".utf8))
        }
        var out: [DriveSegment] = []
        for fix in fixes { out += segmenter.add(fix) }
        return out + segmenter.finish()
    }

    @Test func aStreamedDriveLeavesAsTheWholeTripWouldAfterPrivacy() {
        let drive = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs, seed: "stream")
        let zone = DrivePrivacy.Zone(lat: 37.78489, lng: -122.40734, radiusM: 150)
        let out = segments(of: drive.fixes, zones: [zone])
        let expected = DrivePrivacy(trimM: 100, zones: [zone]).apply(fixes: drive.fixes, frames: []).fixes
        #expect(out.flatMap(\.fixes) == expected)
        #expect(out.count >= 3 && out.map(\.sequence) == (0..<UInt32(out.count)).map { $0 })
        #expect(Set(out.map(\.drive)).count == 1 && out[0].drive.count == 16)
        // Cut about a minute of driving apart (less the trip's trimmed start in the first).
        for (segment, next) in zip(out, out.dropFirst()) {
            #expect(next.fixes.first!.timestampMs - segment.fixes.first!.timestampMs >= 45_000)
        }
        // At 10 m/s and a fix a second, every fix is 10 m on: a frame each, all on the track.
        let quality = DriveQuality(parameters: MappingParameters())
        for segment in out {
            #expect(segment.frames.count == segment.fixes.count)
            #expect(quality.check(segment, reportMs: segment.fixes.last!.timestampMs + 1_000) == nil)
        }
    }

    @Test func framesAreTakenByDistanceNotTime() {
        // Crawling at 2 m/s: a frame every fourth fix (8 m), not every fix.
        let drive = DriveFixture.drive(along: DriveFixture.valenciaStreet, speed: 2, startMs: startMs, seed: "slow")
        let out = segments(of: drive.fixes)
        let fixes = out.flatMap(\.fixes).count, frames = out.flatMap(\.frames).count
        #expect(fixes > 400 && abs(Double(fixes) / Double(frames) - 4) < 0.5, "\(fixes) fixes, \(frames) frames")
    }

    @Test func aLongStopEndsTheTripAndStartsANewDrive() {
        let first = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs, seed: "a").fixes
        let second = DriveFixture.drive(along: DriveFixture.valenciaStreet, startMs: first.last!.timestampMs + 600_000, seed: "b").fixes
        let out = segments(of: first + second)
        let drives = out.map(\.drive)
        #expect(Set(drives).count == 2)
        #expect(out.filter { $0.drive == drives.last! }.map(\.sequence).first == 0)
    }

    @Test func gpsdJSONAsGpspipePrintsIt() {
        var reader = GpsdReader()
        let lines = [
            #"{"class":"VERSION","release":"3.22","rev":"3.22","proto_major":3,"proto_minor":14}"#,
            #"{"class":"SKY","device":"/dev/pts/3","hdop":0.92,"satellites":[{"PRN":5,"used":true},{"PRN":7,"used":true},{"PRN":9,"used":false},{"PRN":13,"used":true},{"PRN":15,"used":true}]}"#,
            #"{"class":"TPV","device":"/dev/pts/3","mode":3,"time":"2026-11-26T12:00:01.000Z","lat":37.794554,"lon":-122.394668,"speed":10.2}"#,
            "not json",
            #"{"class":"SKY","device":"/dev/pts/3","hdop":1.4,"uSat":7}"#,
            #"{"class":"TPV","device":"/dev/pts/3","mode":2,"status":2,"time":"2026-11-26T12:00:02Z","lat":37.7945,"lon":-122.3948}"#,
            #"{"class":"TPV","device":"/dev/pts/3","mode":1,"time":"2026-11-26T12:00:03Z"}"#,
        ]
        let fixes = lines.compactMap { reader.read($0) }
        #expect(reader.skipped == 1 && fixes.count == 2)
        #expect(fixes[0].timestampMs == 1_795_694_401_000 && fixes[0].satellites == 4 && fixes[0].hdop == 0.92)
        #expect(fixes[0].fixMode == 3 && fixes[0].fixQuality == 1 && fixes[0].speedMps == 10.2 && fixes[0].lat == 37.794554)
        #expect(fixes[1].satellites == 7 && fixes[1].hdop == 1.4 && fixes[1].fixMode == 2 && fixes[1].fixQuality == 2)
        #expect(fixes[1].speedMps == -1, "no speed reported")
    }
}
