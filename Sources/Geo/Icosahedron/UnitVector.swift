import Foundation

/// A point or direction in 3-D, used for points on the unit sphere. The reference library (4.5)
/// projects through these rather than through latitude and longitude; every operation here
/// rounds in the same order as it does (products first, then sums left to right), so that
/// points on a face edge fall on the same side.
struct UnitVector: Sendable {
    var x: Double
    var y: Double
    var z: Double

    /// The point at (`lat`, `lng`), radians.
    @inline(__always)
    init(lat: Double, lng: Double) {
        let r = cos(lat)
        x = cos(lng) * r
        y = sin(lng) * r
        z = sin(lat)
    }

    init(x: Double, y: Double, z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    @inline(__always)
    func dot(_ other: UnitVector) -> Double { x * other.x + y * other.y + z * other.z }

    @inline(__always)
    func cross(_ other: UnitVector) -> UnitVector {
        UnitVector(x: y * other.z - z * other.y, y: z * other.x - x * other.z, z: x * other.y - y * other.x)
    }

    /// a·u + b·v, each product rounded before the sum.
    @inline(__always)
    static func combination(_ a: Double, _ u: UnitVector, _ b: Double, _ v: UnitVector) -> UnitVector {
        UnitVector(x: a * u.x + b * v.x, y: a * u.y + b * v.y, z: a * u.z + b * v.z)
    }

    /// Scaled to length 1 by multiplying with the reciprocal of its length; zero stays zero.
    @inline(__always)
    var normalized: UnitVector {
        let norm = dot(self).squareRoot()
        let scale = norm > 0 ? 1 / norm : 0
        return UnitVector(x: x * scale, y: y * scale, z: z * scale)
    }

    /// Latitude and longitude, radians.
    var latLng: (lat: Double, lng: Double) { (asin(z), atan2(y, x)) }

    /// Local north and east on the tangent plane at this point (not defined at a pole; no face
    /// centre is one).
    var tangentBasis: (north: UnitVector, east: UnitVector) {
        let pole = UnitVector(x: 0, y: 0, z: 1)
        let north = UnitVector.combination(1, pole, -pole.dot(self), self).normalized
        return (north, north.cross(self))
    }
}
