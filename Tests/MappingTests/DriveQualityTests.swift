import Core
import Foundation
import Mapping
import Testing

/// Every quality gate, on a real drive (Market Street) spoiled one way at a time.
@Suite struct DriveQualityTests {
    let quality = DriveQuality(parameters: MappingParameters())
    let startMs: Int64 = 1_795_000_000_000
    var reportMs: Int64 { startMs + 300_000 }

    func honest() -> DriveSegment {
        DriveFixture.segment(DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs, seed: "honest"))
    }

    func spoiled(_ change: (inout DriveSegment) -> Void) -> MappingReason? {
        var segment = honest()
        change(&segment)
        return quality.check(segment, reportMs: reportMs)
    }

    @Test func anHonestDrivePasses() {
        #expect(quality.check(honest(), reportMs: reportMs) == nil)
        #expect(quality.spacedFrames(honest()).count == honest().frames.count)
    }

    @Test func eachGateRefusesWithItsCode() {
        #expect(spoiled { $0.fixes = [] } == .noFixes)
        #expect(spoiled { $0.fixes[5].lat = 91 } == .badCoordinates)
        #expect(spoiled { $0.fixes[5].fixQuality = 0 } == .badFix)
        #expect(spoiled { $0.fixes[5].fixMode = 2 } == .badFix)
        #expect(spoiled { $0.fixes[5].satellites = 3 } == .fewSatellites)
        #expect(spoiled { $0.fixes[5].hdop = 4.5 } == .highHDOP)
        #expect(spoiled { $0.fixes.swapAt(5, 6) } == .timeNotMonotonic)
        #expect(spoiled { $0.frames.swapAt(5, 6) } == .timeNotMonotonic)
        #expect(spoiled { $0.fixes[$0.fixes.count - 1].timestampMs = reportMs + 61_000 } == .fromTheFuture)
        #expect(spoiled { segment in
            for index in segment.fixes.indices { segment.fixes[index].timestampMs -= 4 * 86_400_000 }
            for index in segment.frames.indices { segment.frames[index].timestampMs -= 4 * 86_400_000 }
        } == .tooOld)
        #expect(spoiled { $0.fixes[5].speedMps = 45 } == .speedOutOfBounds)
        #expect(spoiled { $0.frames[7].sha256 = $0.frames[3].sha256 } == .duplicateFrame)
        #expect(spoiled { $0.frames[7].lat += 0.002 } == .frameOffTrack)
    }

    @Test func aTeleportingTrackIsRefused() {
        // Halfway down Market Street the car jumps to Valencia Street in one second.
        #expect(spoiled { segment in
            for index in 20..<segment.fixes.count {
                segment.fixes[index].lat -= 0.02
            }
        } == .teleport)
    }

    @Test func aParkedCarMapsNothing() {
        // Twenty minutes at the kerb with the camera running: fixes a few centimetres apart,
        // a frame every two seconds.
        var segment = DriveSegment()
        segment.drive = Data(repeating: 9, count: 16)
        for second in 0..<1_200 {
            var fix = GpsFix()
            fix.timestampMs = startMs + Int64(second) * 1_000
            fix.lat = 37.78489 + Double(second % 3) * 1e-7
            fix.lng = -122.40734
            fix.fixQuality = 1
            fix.fixMode = 3
            fix.satellites = 8
            fix.hdop = 1.1
            fix.speedMps = 0.05
            segment.fixes.append(fix)
            if second % 2 == 0 {
                var frame = FrameRecord()
                frame.timestampMs = fix.timestampMs
                frame.lat = fix.lat
                frame.lng = fix.lng
                frame.sha256 = SHA256Digest.hash(Data("parked-\(second)".utf8))
                segment.frames.append(frame)
            }
        }
        #expect(quality.check(segment, reportMs: startMs + 1_300_000) == .parked)
        #expect(quality.spacedFrames(segment).count == 1)
    }
}
