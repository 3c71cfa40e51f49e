import Core
import Geo

/// Distances and positions along a track of fixes, on the sphere.
public enum DriveGeometry {
    /// Metres between two fixes.
    public static func metres(_ a: GpsFix, _ b: GpsFix) -> Double {
        GreatCircle.metres(lat1: a.lat, lng1: a.lng, lat2: b.lat, lng2: b.lng)
    }

    /// Metres from a fix to a point.
    public static func metres(_ a: GpsFix, lat: Double, lng: Double) -> Double {
        GreatCircle.metres(lat1: a.lat, lng1: a.lng, lat2: lat, lng2: lng)
    }

    /// Metres travelled along `fixes`.
    public static func length(_ fixes: [GpsFix]) -> Double {
        zip(fixes, fixes.dropFirst()).reduce(0) { $0 + metres($1.0, $1.1) }
    }

    /// Where the track was at `ms`, by linear interpolation between the fixes around it; nil
    /// outside the track's time span.
    public static func position(at ms: Int64, on fixes: [GpsFix]) -> (lat: Double, lng: Double)? {
        guard let first = fixes.first, let last = fixes.last, ms >= first.timestampMs, ms <= last.timestampMs else { return nil }
        for (a, b) in zip(fixes, fixes.dropFirst()) where ms <= b.timestampMs {
            let span = Double(b.timestampMs - a.timestampMs)
            let t = span > 0 ? Double(ms - a.timestampMs) / span : 0
            return (a.lat + (b.lat - a.lat) * t, a.lng + (b.lng - a.lng) * t)
        }
        return (last.lat, last.lng)
    }
}
