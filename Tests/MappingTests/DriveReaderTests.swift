import Core
import Foundation
import Mapping
import Testing

/// A dashcam's inputs: NMEA 0183 from its receiver and GPX files, read into fixes.
@Suite struct DriveReaderTests {
    let startMs: Int64 = 1_795_000_000_000

    @Test func theSpecificationsOwnSentences() {
        // The classic GGA and RMC examples of the NMEA 0183 documentation (23 March 1994, Munich).
        let text = """
            $GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A
            $GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47
            $GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39
            """
        let (fixes, skipped) = NMEAReader.fixes(in: text)
        #expect(skipped == 0)
        let fix = try! #require(fixes.first)
        #expect(fixes.count == 1)
        #expect(abs(fix.lat - 48.1173) < 1e-9 && abs(fix.lng - 11.516_666_666_7) < 1e-9)
        #expect(fix.timestampMs == 764_426_119_000, "1994-03-23T12:35:19Z")
        #expect(fix.fixQuality == 1 && fix.satellites == 8 && fix.hdop == 0.9 && fix.fixMode == 3)
        #expect(abs(fix.speedMps - 22.4 * 1852 / 3600) < 1e-9)
    }

    @Test func aDriveDownMarketStreetRoundTripsThroughNMEA() {
        let drive = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs, seed: "nmea")
        var text = DriveFixture.nmea(drive.fixes)
        // Noise a serial line adds: a corrupted sentence, an unknown one, a blank line.
        text = "$GPGGA,garbage*00\r\n$GPTXT,01,01,02,ANTENNA OK*36\r\n\r\n" + text
        let (fixes, skipped) = NMEAReader.fixes(in: text)
        #expect(skipped == 1)
        #expect(fixes.count == drive.fixes.count)
        for (read, written) in zip(fixes, drive.fixes) {
            #expect(read.timestampMs == written.timestampMs)
            // ddmm.mmmm carries a ten-thousandth of a minute: about 0.2 m.
            #expect(DriveGeometry.metres(read, written) < 0.3)
            #expect(abs(read.speedMps - written.speedMps) < 0.01, "\(read.speedMps)")
            #expect(read.satellites == 9 && read.fixMode == 3 && read.hdop == 0.9, "\(read)")
        }
    }

    @Test func aSentenceWithAWrongChecksumIsSkipped() {
        let good = DriveFixture.sentence("GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")
        let bad = good.replacingOccurrences(of: "4807.038", with: "4807.039")
        let (fixes, skipped) = NMEAReader.fixes(in: bad + "\n", date: DateComponents(year: 2026, month: 11, day: 26))
        #expect(fixes.isEmpty && skipped == 1)
        #expect(NMEAReader.fixes(in: good, date: DateComponents(year: 2026, month: 11, day: 26)).fixes.count == 1)
        #expect(NMEAReader.fixes(in: good).fixes.isEmpty, "a GGA-only log without a date gives no dated fix")
    }

    @Test func aGPXTrackWithAndWithoutSpeeds() throws {
        let drive = DriveFixture.drive(along: DriveFixture.valenciaStreet, speed: 12, startMs: startMs, seed: "gpx")
        for speeds in [true, false] {
            let fixes = try GPXReader.fixes(in: Data(DriveFixture.gpx(drive.fixes, speeds: speeds).utf8))
            #expect(fixes.count == drive.fixes.count)
            for (read, written) in zip(fixes, drive.fixes) {
                #expect(read.timestampMs == written.timestampMs && DriveGeometry.metres(read, written) < 0.01)
                #expect(read.fixMode == 3 && read.satellites == 9 && read.hdop == 0.9)
                // Without <speed>, from the distance to the neighbouring point over the time
                // (the fixes carry up to half a metre of GPS noise).
                #expect(abs(read.speedMps - 12) < (speeds ? 1e-9 : 1.5), "\(read.speedMps)")
            }
        }
    }

    @Test func notGPXOrAPointWithoutTimeIsAnError() {
        #expect(throws: GPXReader.Failure.self) { try GPXReader.fixes(in: Data("<kml></kml>".utf8)) }
        #expect(throws: GPXReader.Failure.self) { try GPXReader.fixes(in: Data("not xml at all <".utf8)) }
        let timeless = "<gpx><trk><trkseg><trkpt lat=\"37.7\" lon=\"-122.4\"></trkpt></trkseg></trk></gpx>"
        #expect(throws: GPXReader.Failure.self) { try GPXReader.fixes(in: Data(timeless.utf8)) }
    }
}
