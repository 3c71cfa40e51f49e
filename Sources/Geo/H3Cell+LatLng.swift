import Core
import Foundation

extension H3Cell {
    /// The cell containing (`latitude`, `longitude`) in degrees at `resolution`: the reference
    /// library's `latLngToCell`, bit for bit.
    public init(latitude: Double, longitude: Double, resolution: Int) throws(GeoError) {
        guard latitude.isFinite, abs(latitude) <= 90 else {
            throw GeoError(.invalidLatitude, "latitude must be a number within ±90°, got \(latitude)")
        }
        guard longitude.isFinite else {
            throw GeoError(.invalidLongitude, "longitude must be a finite number, got \(longitude)")
        }
        guard (0...Self.maxResolution).contains(resolution) else {
            throw GeoError(.invalidResolution, "resolution is between 0 and 15, got \(resolution)")
        }
        let projected = FaceProjection.toHex2d(
            lat: latitude * FaceProjection.radiansPerDegree, lng: longitude * FaceProjection.radiansPerDegree, resolution: resolution)
        let lattice = FaceProjection.toIJK(x: projected.x, y: projected.y)
        // Mode 1 (a cell), the resolution, and every digit 7 until it is written.
        var index: UInt64 = 1 << 59 | UInt64(resolution) << 52 | (1 << 45 - 1)
        // Walk up to resolution 0, writing each level's digit. The walk runs in axial coordinates
        // (a, b) = (i − k, j − k), where the aperture-7 steps are linear and need no normalizing.
        var a = lattice.i &- lattice.k
        var b = lattice.j &- lattice.k
        var level = resolution
        while level > 0 {
            let parentA: Int
            let parentB: Int
            let centerA: Int
            let centerB: Int
            if FaceProjection.isClassIII(level) {
                parentA = CoordIJK.dividedBy7Rounded(3 &* a &- b)
                parentB = CoordIJK.dividedBy7Rounded(a &+ 2 &* b)
                centerA = 2 &* parentA &+ parentB
                centerB = 3 &* parentB &- parentA
            } else {
                parentA = CoordIJK.dividedBy7Rounded(2 &* a &+ b)
                parentB = CoordIJK.dividedBy7Rounded(3 &* b &- a)
                centerA = 3 &* parentA &- parentB
                centerB = parentA &+ 2 &* parentB
            }
            let shift = UInt64(3 &* (15 &- level))
            index = index & ~(7 << shift) | Self.axialDigit(a &- centerA, b &- centerB) << shift
            a = parentA
            b = parentB
            level -= 1
        }
        let ijk = CoordIJK(i: a, j: b, k: 0).normalized
        guard ijk.i <= 2, ijk.j <= 2, ijk.k <= 2 else {
            throw GeoError(.invalidCell, "the point fell outside its face's base cells")
        }
        let entry = BaseCellTables.atFaceIJK[projected.face * 27 + ijk.i * 9 + ijk.j * 3 + ijk.k]
        index |= UInt64(entry.cell) << 45
        if Self.isPentagonBaseCell[entry.cell] {
            // A pentagon has no K-axis subsequence: rotate out of it first.
            if H3Digits.leadingNonZero(index, resolution: resolution) == 1 {
                let offsets = BaseCellTables.home[entry.cell].cwOffset
                let table = (offsets.0 == projected.face || offsets.1 == projected.face)
                    ? H3Digits.clockwise : H3Digits.counterClockwise
                index = H3Digits.rotate(index, resolution: resolution, by: table)
            }
            for _ in 0..<entry.rotations {
                index = H3Digits.rotatePentagonCounterClockwise(index, resolution: resolution)
            }
        } else {
            for _ in 0..<entry.rotations {
                index = H3Digits.rotate(index, resolution: resolution, by: H3Digits.counterClockwise)
            }
        }
        self.init(uncheckedIndex: index)
    }

    /// The digit of a unit step given in axial coordinates (each of da, db in −1…1): K (−1, −1) 1,
    /// J (0, 1) 2, JK (−1, 0) 3, I (1, 0) 4, IK (0, −1) 5, IJ (1, 1) 6, none (0, 0) 0. The nine
    /// answers are packed three bits each into one constant.
    @inline(__always)
    static func axialDigit(_ da: Int, _ db: Int) -> UInt64 {
        guard da >= -1, da <= 1, db >= -1, db <= 1 else { return 0 }
        let packed: UInt64 = 1 | 3 << 3 | 0 << 6 | 5 << 9 | 0 << 12 | 2 << 15 | 0 << 18 | 4 << 21 | 6 << 24
        return packed >> UInt64(3 &* ((da &+ 1) &* 3 &+ db &+ 1)) & 7
    }

    /// The cell's centre, degrees: the reference library's `cellToLatLng`.
    public var center: (latitude: Double, longitude: Double) {
        let (face, ijk) = faceIJK
        let plane = FaceProjection.toHex2d(ijk)
        let point = FaceProjection.toGeo(x: plane.x, y: plane.y, face: face, resolution: resolution)
        return (point.lat * FaceProjection.degreesPerRadian, point.lng * FaceProjection.degreesPerRadian)
    }

    /// The face and lattice position of the cell's centre, moved onto the face it lies on.
    var faceIJK: (face: Int, ijk: CoordIJK) {
        let base = baseCell
        let pentagon = Self.isPentagonBaseCell[base]
        var index = self.index
        if pentagon, H3Digits.leadingNonZero(index, resolution: resolution) == 5 {
            index = H3Digits.rotate(index, resolution: resolution, by: H3Digits.clockwise)
        }
        let home = BaseCellTables.home[base]
        var face = home.face
        let homeIJK = CoordIJK(i: home.i, j: home.j, k: home.k)
        var ijk = homeIJK
        if resolution >= 1 {
            for position in 1...resolution {
                ijk = FaceProjection.isClassIII(position) ? ijk.downCounterClockwise : ijk.downClockwise
                ijk = ijk.neighbor(Int(index >> UInt64(3 * (15 - position)) & 7))
            }
        }
        if !pentagon && (resolution == 0 || homeIJK == .zero) { return (face, ijk) }
        let original = ijk
        var classII = resolution
        if FaceProjection.isClassIII(resolution) {
            ijk = ijk.downClockwise
            classII += 1
        }
        let leading4 = pentagon && H3Digits.leadingNonZero(index, resolution: resolution) == 4
        if FaceProjection.adjustOverage(face: &face, ijk: &ijk, resolution: classII, pentagonLeading4: leading4) != .none {
            if pentagon {
                while FaceProjection.adjustOverage(
                    face: &face, ijk: &ijk, resolution: classII, pentagonLeading4: false) != .none {}
            }
            if classII != resolution { ijk = ijk.upClockwise }
        } else if classII != resolution {
            ijk = original
        }
        return (face, ijk)
    }
}
