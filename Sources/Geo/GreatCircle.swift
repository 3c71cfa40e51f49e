import Foundation

/// Distances on the sphere H3 uses (mean Earth radius 6371.007180918475 km, the reference
/// library's constant), by the haversine formula.
public enum GreatCircle {
    /// The Earth's radius in kilometres, as H3 defines it.
    public static let earthRadiusKm = 6371.007180918475

    /// The central angle between two points, in radians.
    public static func angle(lat1: Double, lng1: Double, lat2: Double, lng2: Double) -> Double {
        let φ1 = lat1 * FaceProjection.radiansPerDegree
        let φ2 = lat2 * FaceProjection.radiansPerDegree
        let Δφ = φ2 - φ1
        let Δλ = (lng2 - lng1) * FaceProjection.radiansPerDegree
        let a = sin(Δφ / 2) * sin(Δφ / 2) + cos(φ1) * cos(φ2) * sin(Δλ / 2) * sin(Δλ / 2)
        return 2 * atan2(sqrt(a), sqrt(1 - a))
    }

    /// The distance in kilometres.
    public static func kilometres(lat1: Double, lng1: Double, lat2: Double, lng2: Double) -> Double {
        angle(lat1: lat1, lng1: lng1, lat2: lat2, lng2: lng2) * earthRadiusKm
    }

    /// The distance in metres.
    public static func metres(lat1: Double, lng1: Double, lat2: Double, lng2: Double) -> Double {
        kilometres(lat1: lat1, lng1: lng1, lat2: lat2, lng2: lng2) * 1000
    }
}
