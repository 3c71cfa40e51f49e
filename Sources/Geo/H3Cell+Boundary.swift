import Foundation

extension H3Cell {
    /// A point on the sphere, degrees.
    public typealias Vertex = (latitude: Double, longitude: Double)

    /// The cell's boundary, counter-clockwise, degrees: the reference library's `cellToBoundary`.
    ///
    /// A hexagon has six vertices and a pentagon five, plus one more wherever an edge of a Class III
    /// cell crosses an icosahedron edge (the projection bends there, so the crossing point is a
    /// vertex of the drawn outline too); at most ten.
    ///
    /// The vertices are points of the aperture-3 "substrate" grid, three times finer than the
    /// cells: a cell's centre is taken down to it and each vertex is a fixed offset from there.
    public var boundary: [Vertex] {
        boundaryRadians.map { ($0.lat * FaceProjection.degreesPerRadian, $0.lng * FaceProjection.degreesPerRadian) }
    }

    /// The boundary in radians.
    var boundaryRadians: [(lat: Double, lng: Double)] {
        let (face, ijk) = faceIJK
        let substrate = Self.substrate(face: face, ijk: ijk, resolution: resolution)
        return isPentagon
            ? Self.pentagonBoundary(substrate, centerFace: face, resolution: resolution)
            : Self.hexagonBoundary(substrate, centerFace: face, resolution: resolution)
    }

    /// The cell's area in square kilometres, as the reference library (4.5) computes it.
    public var areaKm2: Double { areaRadians2 * GreatCircle.earthRadiusKm * GreatCircle.earthRadiusKm }

    /// The cell's area in square metres.
    public var areaM2: Double { areaKm2 * 1000 * 1000 }

    /// The cell's area as a solid angle, steradians: the signed areas between each boundary edge
    /// and the pole (Cagnoli's formula), summed with Kahan's compensation, and taken positive.
    public var areaRadians2: Double {
        let vertices = boundaryRadians
        var sum = 0.0
        var compensation = 0.0
        func add(_ term: Double) {
            let corrected = term - compensation
            let total = sum + corrected
            compensation = (total - sum) - corrected
            sum = total
        }
        for index in vertices.indices {
            add(Self.cagnoli(vertices[index], vertices[(index + 1) % vertices.count]))
        }
        if sum < 0 { add(4 * .pi) }
        return sum
    }

    /// The signed area between the edge from `a` to `b` (radians) and the north pole, by
    /// Cagnoli's formula for the spherical excess of a triangle from two sides and their angle.
    static func cagnoli(_ a: (lat: Double, lng: Double), _ b: (lat: Double, lng: Double)) -> Double {
        let halfA = a.lat / 2 + .pi / 4
        let halfB = b.lat / 2 + .pi / 4
        let sines = sin(halfA) * sin(halfB)
        let cosines = cos(halfA) * cos(halfB)
        let delta = b.lng - a.lng
        return -2 * atan2(sines * sin(delta), sines * cos(delta) + cosines)
    }

    /// The substrate positions of the cell's vertices on the centre's face, and the Class II
    /// resolution they are expressed at.
    private static func substrate(face: Int, ijk: CoordIJK, resolution: Int) -> Substrate {
        var center = ijk.downAperture3CounterClockwise.downAperture3Clockwise
        var level = resolution
        let offsets: [CoordIJK]
        if FaceProjection.isClassIII(resolution) {
            center = center.downClockwise
            level += 1
            offsets = Substrate.classIIIOffsets
        } else {
            offsets = Substrate.classIIOffsets
        }
        return Substrate(face: face, resolution: level, vertices: offsets.map { (center + $0).normalized })
    }

    private static func hexagonBoundary(_ substrate: Substrate, centerFace: Int, resolution: Int) -> [(lat: Double, lng: Double)] {
        var points: [(lat: Double, lng: Double)] = []
        var lastFace = -1
        var lastOverage = FaceProjection.Overage.none
        // One extra step closes the loop, so the last edge is checked for a face crossing too.
        for step in 0...6 {
            let vertex = step % 6
            var face = substrate.face
            var ijk = substrate.vertices[vertex]
            let overage = FaceProjection.adjustOverage(
                face: &face, ijk: &ijk, resolution: substrate.resolution, pentagonLeading4: false, substrate: true)
            if FaceProjection.isClassIII(resolution), step > 0, face != lastFace, lastOverage != .faceEdge {
                // The edge from the previous vertex crosses an icosahedron edge: add the crossing.
                let from = FaceProjection.toHex2d(substrate.vertices[(vertex + 5) % 6])
                let to = FaceProjection.toHex2d(substrate.vertices[vertex])
                let other = lastFace == centerFace ? face : lastFace
                let edge = substrate.faceEdge(from: centerFace, toward: other)
                let crossing = Substrate.intersection(from, to, edge.0, edge.1)
                if !Substrate.almostEqual(from, crossing), !Substrate.almostEqual(to, crossing) {
                    points.append(FaceProjection.toGeo(
                        x: crossing.x, y: crossing.y, face: centerFace, resolution: substrate.resolution, substrate: true))
                }
            }
            if step < 6 {
                let plane = FaceProjection.toHex2d(ijk)
                points.append(FaceProjection.toGeo(
                    x: plane.x, y: plane.y, face: face, resolution: substrate.resolution, substrate: true))
            }
            lastFace = face
            lastOverage = overage
        }
        return points
    }

    private static func pentagonBoundary(_ substrate: Substrate, centerFace: Int, resolution: Int) -> [(lat: Double, lng: Double)] {
        var points: [(lat: Double, lng: Double)] = []
        var last = (face: -1, ijk: CoordIJK.zero)
        for step in 0...5 {
            var face = substrate.face
            var ijk = substrate.vertices[step % 5]
            // A pentagon's vertex may need several moves before it rests on its own face.
            while FaceProjection.adjustOverage(
                face: &face, ijk: &ijk, resolution: substrate.resolution, pentagonLeading4: false, substrate: true
            ) == .newFace {}
            if FaceProjection.isClassIII(resolution), step > 0 {
                // Every edge of a Class III pentagon crosses an icosahedron edge. Express this
                // vertex on the previous vertex's face, then intersect the edge with the face edge.
                let direction = IcosahedronTables.adjacentDirection[face][last.face]
                let orientation = IcosahedronTables.faceNeighbors[face][direction - 1]
                var moved = ijk
                for _ in 0..<orientation.4 { moved = moved.rotatedCounterClockwise }
                let scale = IcosahedronTables.unitScaleByClassIIResolution[substrate.resolution] * 3
                moved = (moved + CoordIJK(i: orientation.1, j: orientation.2, k: orientation.3) * scale).normalized
                let edge = substrate.faceEdge(from: orientation.0, toward: face)
                let crossing = Substrate.intersection(
                    FaceProjection.toHex2d(last.ijk), FaceProjection.toHex2d(moved), edge.0, edge.1)
                points.append(FaceProjection.toGeo(
                    x: crossing.x, y: crossing.y, face: orientation.0, resolution: substrate.resolution, substrate: true))
            }
            if step < 5 {
                let plane = FaceProjection.toHex2d(ijk)
                points.append(FaceProjection.toGeo(
                    x: plane.x, y: plane.y, face: face, resolution: substrate.resolution, substrate: true))
            }
            last = (face, ijk)
        }
        return points
    }
}

/// A cell's vertices on the aperture-3 substrate grid of its centre's face.
private struct Substrate {
    /// Vertex offsets from the centre of a Class II cell, counter-clockwise.
    static let classIIOffsets = [
        CoordIJK(i: 2, j: 1, k: 0), CoordIJK(i: 1, j: 2, k: 0), CoordIJK(i: 0, j: 2, k: 1),
        CoordIJK(i: 0, j: 1, k: 2), CoordIJK(i: 1, j: 0, k: 2), CoordIJK(i: 2, j: 0, k: 1),
    ]
    /// Vertex offsets from the centre of a Class III cell (taken down one more aperture-7 level).
    static let classIIIOffsets = [
        CoordIJK(i: 5, j: 4, k: 0), CoordIJK(i: 1, j: 5, k: 0), CoordIJK(i: 0, j: 5, k: 4),
        CoordIJK(i: 0, j: 1, k: 5), CoordIJK(i: 4, j: 0, k: 5), CoordIJK(i: 5, j: 0, k: 1),
    ]

    let face: Int
    let resolution: Int
    /// Six positions; a pentagon uses the first five.
    let vertices: [CoordIJK]

    /// The two corners of `face`'s triangle, on this substrate grid, bounding the edge it shares
    /// with `neighbor`.
    func faceEdge(from face: Int, toward neighbor: Int) -> ((x: Double, y: Double), (x: Double, y: Double)) {
        let maxDim = Double(IcosahedronTables.maxDimByClassIIResolution[resolution])
        let corner0 = (x: 3 * maxDim, y: 0.0)
        let corner1 = (x: -1.5 * maxDim, y: 3 * FaceProjection.sin60 * maxDim)
        let corner2 = (x: -1.5 * maxDim, y: -3 * FaceProjection.sin60 * maxDim)
        switch IcosahedronTables.adjacentDirection[face][neighbor] {
        case 1: return (corner0, corner1)  // IJ
        case 3: return (corner1, corner2)  // JK
        default: return (corner2, corner0)  // KI
        }
    }

    /// Where the line through p0 and p1 meets the line through p2 and p3.
    static func intersection(
        _ p0: (x: Double, y: Double), _ p1: (x: Double, y: Double), _ p2: (x: Double, y: Double), _ p3: (x: Double, y: Double)
    ) -> (x: Double, y: Double) {
        let s1 = (x: p1.x - p0.x, y: p1.y - p0.y)
        let s2 = (x: p3.x - p2.x, y: p3.y - p2.y)
        let t = (s2.x * (p0.y - p2.y) - s2.y * (p0.x - p2.x)) / (-s2.x * s1.y + s1.x * s2.y)
        return (p0.x + t * s1.x, p0.y + t * s1.y)
    }

    /// Equal within single-precision epsilon, the reference library's test for a crossing that
    /// falls on a vertex.
    static func almostEqual(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Bool {
        abs(a.x - b.x) < Double(Float.ulpOfOne) && abs(a.y - b.y) < Double(Float.ulpOfOne)
    }
}
