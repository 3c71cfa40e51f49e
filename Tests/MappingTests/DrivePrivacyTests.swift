import Core
import Foundation
import Mapping
import Testing

/// What the dashcam keeps to itself: each trip's ends and the owner's privacy zones.
@Suite struct DrivePrivacyTests {
    @Test func eachTripLosesItsFirstAndLastHundredMetres() {
        let first = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: 1_000_000, seed: "a")
        let second = DriveFixture.drive(along: DriveFixture.valenciaStreet, startMs: 10_000_000, seed: "b")
        let (fixes, frames) = DrivePrivacy(trimM: 100).apply(
            fixes: first.fixes + second.fixes, frames: first.frames + second.frames)
        for trip in [first, second] {
            let kept = fixes.filter { fix in trip.fixes.contains { $0.timestampMs == fix.timestampMs } }
            let start = trip.fixes.first!, end = trip.fixes.last!
            #expect(kept.count < trip.fixes.count - 18, "two ends of 100 m at 10 m/s drop about 20 fixes")
            // Along the road, the first kept fix is more than 100 m from where the trip began.
            #expect(DriveGeometry.length(Array(trip.fixes.prefix { $0.timestampMs <= kept.first!.timestampMs })) > 100)
            #expect(DriveGeometry.metres(kept.last!, end) > 90)
            #expect(DriveGeometry.metres(kept.first!, start) > 90)
        }
        #expect(frames.allSatisfy { frame in fixes.contains { abs($0.timestampMs - frame.timestampMs) <= 1_000 } })
        #expect(!frames.isEmpty && frames.count < first.frames.count + second.frames.count - 40)
    }

    @Test func nothingInsideAPrivacyZoneLeavesTheDevice() {
        let drive = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: 1_000_000, seed: "z")
        // A 150 m circle around Powell Street.
        let zone = DrivePrivacy.Zone(lat: 37.78489, lng: -122.40734, radiusM: 150)
        let (fixes, frames) = DrivePrivacy(trimM: 0, zones: [zone]).apply(fixes: drive.fixes, frames: drive.frames)
        #expect(fixes.count < drive.fixes.count - 20)
        #expect(fixes.allSatisfy { DriveGeometry.metres($0, lat: zone.lat, lng: zone.lng) > 150 })
        #expect(frames.allSatisfy { DriveGeometry.metres(GpsFixPoint.at($0.lat, $0.lng), lat: zone.lat, lng: zone.lng) > 150 })
        #expect(frames.count < drive.frames.count - 30)
    }
}

/// A fix at a point, for distances in tests.
enum GpsFixPoint {
    static func at(_ lat: Double, _ lng: Double) -> GpsFix {
        var fix = GpsFix()
        fix.lat = lat
        fix.lng = lng
        return fix
    }
}
