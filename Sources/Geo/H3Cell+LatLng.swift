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
            lat: latitude * .pi / 180, lng: longitude * .pi / 180, resolution: resolution)
        var ijk = FaceProjection.toIJK(x: projected.x, y: projected.y)
        var index: UInt64 = 1 << 59 | UInt64(resolution) << 52
        for position in 1...15 { index |= 7 << UInt64(3 * (15 - position)) }
        // Walk up to resolution 0, writing each level's digit.
        var level = resolution
        while level > 0 {
            let child = ijk
            let center: CoordIJK
            if FaceProjection.isClassIII(level) {
                ijk = ijk.upCounterClockwise
                center = ijk.downCounterClockwise
            } else {
                ijk = ijk.upClockwise
                center = ijk.downClockwise
            }
            let digit = UInt64((child - center).normalized.digit ?? 0)
            let shift = UInt64(3 * (15 - level))
            index = index & ~(7 << shift) | digit << shift
            level -= 1
        }
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

    /// The cell's centre, degrees: the reference library's `cellToLatLng`.
    public var center: (latitude: Double, longitude: Double) {
        let (face, ijk) = faceIJK
        let plane = FaceProjection.toHex2d(ijk)
        let point = FaceProjection.toGeo(x: plane.x, y: plane.y, face: face, resolution: resolution)
        return (point.lat * 180 / .pi, point.lng * 180 / .pi)
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
        if FaceProjection.adjustOverage(face: &face, ijk: &ijk, resolution: classII, pentagonLeading4: leading4) {
            if pentagon {
                while FaceProjection.adjustOverage(face: &face, ijk: &ijk, resolution: classII, pentagonLeading4: false) {}
            }
            if classII != resolution { ijk = ijk.upClockwise }
        } else if classII != resolution {
            ijk = original
        }
        return (face, ijk)
    }
}
