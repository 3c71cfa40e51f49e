import Core

extension H3Cell {
    /// The cells that share an edge with this one: six for a hexagon, five for a pentagon.
    ///
    /// Each neighbour is found where H3 puts it: one lattice step from this cell's centre in each
    /// of the six directions, on this cell's face plane, projected back to the sphere.
    public var neighbors: [H3Cell] {
        let (face, ijk) = faceIJK
        var found: Set<H3Cell> = []
        for direction in 1...6 {
            let step = (ijk + CoordIJK.unitVectors[direction]).normalized
            let plane = FaceProjection.toHex2d(step)
            let point = FaceProjection.toGeo(x: plane.x, y: plane.y, face: face, resolution: resolution)
            guard
                let cell = try? H3Cell(
                    latitude: min(90, max(-90, point.lat * FaceProjection.degreesPerRadian)), longitude: point.lng * FaceProjection.degreesPerRadian,
                    resolution: resolution),
                cell != self
            else { continue }
            found.insert(cell)
        }
        return found.sorted()
    }

    /// Every cell within `k` steps of this one, this one included (H3's `gridDisk`).
    public func disk(radius k: Int) throws(GeoError) -> [H3Cell] {
        guard k >= 0, k <= 1_000 else {
            throw GeoError(.invalidRadius, "the disk radius is between 0 and 1000, got \(k)")
        }
        var seen: Set<H3Cell> = [self]
        var ring = [self]
        for _ in 0..<k {
            var next: [H3Cell] = []
            for cell in ring {
                for neighbor in cell.neighbors where seen.insert(neighbor).inserted { next.append(neighbor) }
            }
            ring = next
        }
        return seen.sorted()
    }

    /// The number of steps between this cell and `other` (H3's `gridDistance`), searched up to
    /// `limit` steps.
    public func distance(to other: H3Cell, limit: Int = 200) throws(GeoError) -> Int {
        guard other.resolution == resolution else {
            throw GeoError(.invalidResolution, "grid distance needs two cells of one resolution")
        }
        if other == self { return 0 }
        var seen: Set<H3Cell> = [self]
        var ring = [self]
        for step in 1...max(1, limit) {
            var next: [H3Cell] = []
            for cell in ring {
                for neighbor in cell.neighbors where seen.insert(neighbor).inserted {
                    if neighbor == other { return step }
                    next.append(neighbor)
                }
            }
            ring = next
        }
        throw GeoError(.tooFar, "\(other) is more than \(limit) steps from \(self)")
    }
}
