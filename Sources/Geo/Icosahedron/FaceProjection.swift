import Foundation

/// The gnomonic projection between the sphere and each icosahedron face's hexagonal plane, as
/// H3 defines it.
enum FaceProjection {
    static let epsilon = 1e-16
    /// π / 180 and 180 / π as single constants: the reference converts with one multiplication,
    /// and `x * .pi / 180` (two roundings) can differ by an ulp, which moves points that lie
    /// exactly on a face edge into the other face's cell.
    static let radiansPerDegree = 0.0174532925199432957692369076848861271111
    static let degreesPerRadian = 57.29577951308232087679815481410517033240547
    /// Rotation between Class II and Class III grids, radians.
    static let aperture7Rotation = 0.333473172251832115336090755351601070065900389
    /// The gnomonic length of a resolution-0 unit.
    static let resolution0Unit = 0.38196601125010500003
    static let sqrt7 = 2.6457513110645905905016157536392604257102
    static let inverseSqrt7 = 0.37796447300922722721451653623418006081576
    static let sin60 = 0.8660254037844386467637231707529361834714
    /// 1 / sin 60°: the reference multiplies by it rather than dividing by sin 60°, which rounds
    /// differently for points on a lattice cell's edge.
    static let inverseSin60 = 1.1547005383792515290182975610039149112953

    static func isClassIII(_ resolution: Int) -> Bool { resolution % 2 == 1 }

    /// An angle moved into [0, 2π), exactly as the reference does it (the upper test looks at the
    /// angle as given).
    @inline(__always)
    static func positiveAngle(_ angle: Double) -> Double {
        var result = angle < 0 ? angle + 2 * .pi : angle
        if angle >= 2 * .pi { result -= 2 * .pi }
        return result
    }

    /// 1 / the gnomonic length of a resolution-0 unit.
    static let inverseResolution0Unit = 2.61803398874989588842

    /// Each face centre as a unit vector with its local north and east, computed once.
    static let faceFrames: [(center: UnitVector, north: UnitVector, east: UnitVector)] =
        IcosahedronTables.faceCenterPoint.map { point in
            let center = UnitVector(x: point.0, y: point.1, z: point.2)
            let basis = center.tangentBasis
            return (center, basis.north, basis.east)
        }

    /// The face whose centre is nearest and the point's hex-plane coordinates on it at `resolution`.
    static func toHex2d(lat: Double, lng: Double, resolution: Int) -> (face: Int, x: Double, y: Double) {
        let point = UnitVector(lat: lat, lng: lng)
        var face = 0
        var squared = Double.infinity
        faceFrames.withUnsafeBufferPointer { frames in
            for index in 0..<20 {
                let center = frames[index].center
                let dx = center.x - point.x
                let dy = center.y - point.y
                let dz = center.z - point.z
                let distance = dx * dx + dy * dy + dz * dz
                if distance < squared {
                    squared = distance
                    face = index
                }
            }
        }
        var r = acos(1 - squared * 0.5)
        if r < epsilon { return (face, 0, 0) }
        // The azimuth from the face centre: the point projected onto the centre's tangent plane,
        // measured against the local north and east.
        let frame = faceFrames[face]
        let projected = UnitVector.combination(1, point, -point.dot(frame.center), frame.center).normalized
        let azimuth = atan2(projected.dot(frame.east), projected.dot(frame.north))
        var theta = positiveAngle(IcosahedronTables.faceAxisAzimuth[face] - positiveAngle(azimuth))
        if isClassIII(resolution) { theta = positiveAngle(theta - aperture7Rotation) }
        // Scaled step by step, as the reference rounds it (a precomputed power would round differently).
        r = tan(r) * inverseResolution0Unit
        for _ in 0..<resolution { r *= sqrt7 }
        return (face, r * cos(theta), r * sin(theta))
    }

    /// The lattice cell containing the hex-plane point.
    static func toIJK(x: Double, y: Double) -> CoordIJK {
        let a1 = abs(x)
        let a2 = abs(y)
        let x2 = a2 * inverseSin60
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
        let frame = faceFrames[face]
        var r = (x * x + y * y).squareRoot()
        if r < epsilon { return frame.center.latLng }
        var theta = atan2(y, x)
        for _ in 0..<resolution { r *= inverseSqrt7 }
        if substrate {
            r *= oneThird
            if isClassIII(resolution) { r *= inverseSqrt7 }
        }
        r = atan(r * resolution0Unit)
        if !substrate && isClassIII(resolution) { theta = positiveAngle(theta + aperture7Rotation) }
        theta = positiveAngle(IcosahedronTables.faceAxisAzimuth[face] - theta)
        // Along the great circle from the face centre: start there, head out on azimuth theta.
        let direction = UnitVector.combination(cos(theta), frame.north, sin(theta), frame.east)
        return UnitVector.combination(cos(r), frame.center, sin(r), direction).normalized.latLng
    }

    static let oneThird = 0.333333333333333333333333333333333333333

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
