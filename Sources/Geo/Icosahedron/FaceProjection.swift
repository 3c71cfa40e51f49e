import Foundation

/// The gnomonic projection between the sphere and each icosahedron face's hexagonal plane, as
/// H3 defines it.
enum FaceProjection {
    static let epsilon = 1e-16
    /// Rotation between Class II and Class III grids, radians.
    static let aperture7Rotation = 0.333473172251832115336090755351601070065900389
    /// The gnomonic length of a resolution-0 unit.
    static let resolution0Unit = 0.38196601125010500003
    static let sqrt7 = 2.6457513110645905905016157536392604257102
    static let inverseSqrt7 = 0.37796447300922722721451653623418006081576
    static let sin60 = 0.8660254037844386467637231707529361834714

    static func isClassIII(_ resolution: Int) -> Bool { resolution % 2 == 1 }

    static func positiveAngle(_ angle: Double) -> Double {
        var result = angle < 0 ? angle + 2 * .pi : angle
        if result >= 2 * .pi { result -= 2 * .pi }
        return result
    }

    static func constrainLongitude(_ longitude: Double) -> Double {
        var result = longitude
        while result > .pi { result -= 2 * .pi }
        while result < -.pi { result += 2 * .pi }
        return result
    }

    /// Azimuth from point 1 to point 2, radians, given the sines and cosines of their latitudes.
    @inline(__always)
    static func azimuth(
        sinLat1: Double, cosLat1: Double, lng1: Double, sinLat2: Double, cosLat2: Double, lng2: Double
    ) -> Double {
        let delta = lng2 - lng1
        return atan2(cosLat2 * sin(delta), cosLat1 * sinLat2 - sinLat1 * cosLat2 * cos(delta))
    }

    /// The sine and cosine of each face centre's latitude, computed once.
    static let faceCenterLatitudeSinCos: [(sin: Double, cos: Double)] = IcosahedronTables.faceCenterGeo.map {
        (sin($0.0), cos($0.0))
    }

    /// The face whose centre is nearest and the point's hex-plane coordinates on it at `resolution`.
    static func toHex2d(lat: Double, lng: Double, resolution: Int) -> (face: Int, x: Double, y: Double) {
        let sinLat = sin(lat)
        let cosLat = cos(lat)
        let z = sinLat
        let x = cos(lng) * cosLat
        let y = sin(lng) * cosLat
        var face = 0
        var squared = Double.infinity
        IcosahedronTables.faceCenterPoint.withUnsafeBufferPointer { centers in
            for index in 0..<20 {
                let center = centers[index]
                let dx = center.0 - x
                let dy = center.1 - y
                let dz = center.2 - z
                let distance = dx * dx + dy * dy + dz * dz
                if distance < squared {
                    squared = distance
                    face = index
                }
            }
        }
        var r = acos(1 - squared / 2)
        if r < epsilon { return (face, 0, 0) }
        let center = faceCenterLatitudeSinCos[face]
        let azimuth = azimuth(
            sinLat1: center.sin, cosLat1: center.cos, lng1: IcosahedronTables.faceCenterGeo[face].1,
            sinLat2: sinLat, cosLat2: cosLat, lng2: lng)
        var theta = positiveAngle(IcosahedronTables.faceAxisAzimuth[face] - positiveAngle(azimuth))
        if isClassIII(resolution) { theta = positiveAngle(theta - aperture7Rotation) }
        // Scaled step by step, as the reference rounds it (a precomputed power would round differently).
        r = tan(r) / resolution0Unit
        for _ in 0..<resolution { r *= sqrt7 }
        return (face, r * cos(theta), r * sin(theta))
    }

    /// The lattice cell containing the hex-plane point.
    static func toIJK(x: Double, y: Double) -> CoordIJK {
        let a1 = abs(x)
        let a2 = abs(y)
        let x2 = a2 / sin60
        let x1 = a1 + x2 / 2
        let m1 = Int(x1)
        let m2 = Int(x2)
        let r1 = x1 - Double(m1)
        let r2 = x2 - Double(m2)
        var i: Int
        var j: Int
        if r1 < 0.5 {
            if r1 < 1.0 / 3.0 {
                i = m1
                j = r2 < (1 + r1) / 2 ? m2 : m2 + 1
            } else {
                j = r2 < 1 - r1 ? m2 : m2 + 1
                i = (1 - r1 <= r2 && r2 < 2 * r1) ? m1 + 1 : m1
            }
        } else {
            if r1 < 2.0 / 3.0 {
                j = r2 < 1 - r1 ? m2 : m2 + 1
                i = (2 * r1 - 1 < r2 && r2 < 1 - r1) ? m1 : m1 + 1
            } else {
                i = m1 + 1
                j = r2 < r1 / 2 ? m2 : m2 + 1
            }
        }
        // Fold back across the axes for the other quadrants.
        if x < 0 {
            if j % 2 == 0 {
                let axis = j / 2
                i -= 2 * (i - axis)
            } else {
                let axis = (j + 1) / 2
                i -= 2 * (i - axis) + 1
            }
        }
        if y < 0 {
            i -= (2 * j + 1) / 2
            j = -j
        }
        return CoordIJK(i: i, j: j, k: 0).normalized
    }

    /// The hex-plane centre of a lattice cell.
    static func toHex2d(_ ijk: CoordIJK) -> (x: Double, y: Double) {
        let i = Double(ijk.i - ijk.k)
        let j = Double(ijk.j - ijk.k)
        return (i - 0.5 * j, j * sin60)
    }

    /// The sphere point of a hex-plane point on `face` at `resolution`, radians. On the
    /// `substrate` (vertex) grid a unit is a third of a cell's, and the grid is not rotated.
    static func toGeo(x: Double, y: Double, face: Int, resolution: Int, substrate: Bool = false) -> (lat: Double, lng: Double) {
        let center = IcosahedronTables.faceCenterGeo[face]
        var r = (x * x + y * y).squareRoot()
        if r < epsilon { return center }
        var theta = atan2(y, x)
        for _ in 0..<resolution { r *= inverseSqrt7 }
        if substrate {
            r /= 3
            if isClassIII(resolution) { r *= inverseSqrt7 }
        }
        r = atan(r * resolution0Unit)
        if !substrate && isClassIII(resolution) { theta = positiveAngle(theta + aperture7Rotation) }
        theta = positiveAngle(IcosahedronTables.faceAxisAzimuth[face] - theta)
        return destination(lat: center.0, lng: center.1, azimuth: theta, distance: r)
    }

    /// The point `distance` radians from (lat, lng) along `azimuth` (clockwise from north),
    /// computed with unit vectors so that it stays exact near the poles, where asin is not.
    static func destination(lat: Double, lng: Double, azimuth: Double, distance: Double) -> (lat: Double, lng: Double) {
        if distance < epsilon { return (lat, lng) }
        let (sinLat, cosLat) = (sin(lat), cos(lat))
        let (sinLng, cosLng) = (sin(lng), cos(lng))
        let (sinAz, cosAz) = (sin(azimuth), cos(azimuth))
        let (sinD, cosD) = (sin(distance), cos(distance))
        // Start, and the north and east unit tangents there.
        let start = (cosLat * cosLng, cosLat * sinLng, sinLat)
        let north = (-sinLat * cosLng, -sinLat * sinLng, cosLat)
        let east = (-sinLng, cosLng, 0.0)
        let direction = (
            north.0 * cosAz + east.0 * sinAz, north.1 * cosAz + east.1 * sinAz, north.2 * cosAz + east.2 * sinAz
        )
        let x = start.0 * cosD + direction.0 * sinD
        let y = start.1 * cosD + direction.1 * sinD
        let z = start.2 * cosD + direction.2 * sinD
        let horizontal = (x * x + y * y).squareRoot()
        return (atan2(z, horizontal), horizontal < epsilon ? 0 : atan2(y, x))
    }

    /// Where a position lies after `adjustOverage`.
    enum Overage: Equatable {
        /// On its face.
        case none
        /// Exactly on a face edge (substrate grids only).
        case faceEdge
        /// It ran off its face and now sits on the neighbouring face.
        case newFace
    }

    /// Moves a Class II position that has run off `face` onto the neighbouring face.
    /// `pentagonLeading4` handles a pentagon's cells whose leading digit is I; `substrate` says the
    /// position is on the aperture-3 vertex grid, three times finer than the cells.
    @discardableResult
    static func adjustOverage(
        face: inout Int, ijk: inout CoordIJK, resolution: Int, pentagonLeading4: Bool, substrate: Bool = false
    ) -> Overage {
        var maxDim = IcosahedronTables.maxDimByClassIIResolution[resolution]
        if substrate { maxDim *= 3 }
        let sum = ijk.i + ijk.j + ijk.k
        if substrate && sum == maxDim { return .faceEdge }
        guard sum > maxDim else { return .none }
        let orientation: (Int, Int, Int, Int, Int)
        if ijk.k > 0 {
            if ijk.j > 0 {
                orientation = IcosahedronTables.faceNeighbors[face][2]
            } else {
                orientation = IcosahedronTables.faceNeighbors[face][1]
                if pentagonLeading4 {
                    // Rotate about the pentagon's centre rather than the face's.
                    let origin = CoordIJK(i: maxDim, j: 0, k: 0)
                    ijk = (ijk - origin).normalized.rotatedClockwise + origin
                }
            }
        } else {
            orientation = IcosahedronTables.faceNeighbors[face][0]
        }
        face = orientation.0
        for _ in 0..<orientation.4 { ijk = ijk.rotatedCounterClockwise }
        var scale = IcosahedronTables.unitScaleByClassIIResolution[resolution]
        if substrate { scale *= 3 }
        ijk = (ijk + CoordIJK(i: orientation.1, j: orientation.2, k: orientation.3) * scale).normalized
        if substrate && ijk.i + ijk.j + ijk.k == maxDim { return .faceEdge }
        return .newFace
    }
}
