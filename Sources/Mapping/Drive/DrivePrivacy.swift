import Core
import Geo

/// The privacy rules a dashcam applies before anything leaves it: each trip's first and last
/// `trimM` metres are dropped (where the driver lives and works), and so is every fix and frame
/// inside one of the owner's privacy zones. A gap of more than `tripGapMs` between fixes ends a
/// trip.
public struct DrivePrivacy: Sendable {
    /// A circle the owner keeps off the map.
    public struct Zone: Sendable, Equatable {
        public var lat: Double
        public var lng: Double
        public var radiusM: Double

        public init(lat: Double, lng: Double, radiusM: Double) {
            self.lat = lat
            self.lng = lng
            self.radiusM = radiusM
        }

        func contains(lat: Double, lng: Double) -> Bool {
            GreatCircle.metres(lat1: self.lat, lng1: self.lng, lat2: lat, lng2: lng) <= radiusM
        }
    }

    public var trimM: Double
    public var zones: [Zone]
    public var tripGapMs: Int64

    public init(trimM: Double = 100, zones: [Zone] = [], tripGapMs: Int64 = 300_000) {
        self.trimM = trimM
        self.zones = zones
        self.tripGapMs = tripGapMs
    }

    /// The fixes and frames that may leave the device.
    public func apply(fixes: [GpsFix], frames: [FrameRecord]) -> (fixes: [GpsFix], frames: [FrameRecord]) {
        var kept: [GpsFix] = []
        var spans: [ClosedRange<Int64>] = []
        for trip in trips(fixes) {
            let trimmed = trim(trip)
            guard let first = trimmed.first, let last = trimmed.last else { continue }
            spans.append(first.timestampMs...last.timestampMs)
            kept += trimmed.filter { !inZone(lat: $0.lat, lng: $0.lng) }
        }
        let frames = frames.filter { frame in
            spans.contains { $0.contains(frame.timestampMs) } && !inZone(lat: frame.lat, lng: frame.lng)
        }
        return (kept, frames)
    }

    func inZone(lat: Double, lng: Double) -> Bool { zones.contains { $0.contains(lat: lat, lng: lng) } }

    /// `fixes` cut where time jumps by more than the trip gap.
    func trips(_ fixes: [GpsFix]) -> [[GpsFix]] {
        var trips: [[GpsFix]] = []
        for fix in fixes {
            if let last = trips.last?.last, fix.timestampMs - last.timestampMs <= tripGapMs {
                trips[trips.count - 1].append(fix)
            } else {
                trips.append([fix])
            }
        }
        return trips
    }

    /// `trip` without its first and last `trimM` metres.
    func trim(_ trip: [GpsFix]) -> [GpsFix] {
        guard trimM > 0, trip.count > 1 else { return trimM > 0 ? [] : trip }
        var travelled = [0.0]
        for (a, b) in zip(trip, trip.dropFirst()) { travelled.append(travelled.last! + DriveGeometry.metres(a, b)) }
        let total = travelled.last!
        return zip(trip, travelled).filter { $0.1 > trimM && $0.1 < total - trimM }.map(\.0)
    }
}
