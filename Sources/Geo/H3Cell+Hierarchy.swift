import Core

extension H3Cell {
    /// The cell containing this one at the coarser `resolution`.
    public func parent(at resolution: Int) throws(GeoError) -> H3Cell {
        guard (0...self.resolution).contains(resolution) else {
            throw GeoError(
                .invalidResolution, "a parent's resolution is between 0 and \(self.resolution), got \(resolution)")
        }
        let bits = Self.parentBits(resolution: resolution)
        return H3Cell(uncheckedIndex: index & bits.keep | bits.set)
    }

    /// The two masks that take any finer cell's index to its parent's at `resolution` (0 to 15):
    /// `parent.index == index & keep | set`. A database that keeps cells as integers groups
    /// them by parent with this, without decoding a cell.
    public static func parentBits(resolution: Int) -> (keep: UInt64, set: UInt64) {
        let digits = UInt64(3 * (15 - resolution))
        return (~(UInt64(0xf) << 52), UInt64(resolution) << 52 | ((1 << digits) - 1))
    }

    /// The child at the finer `resolution` that shares this cell's centre.
    public func centerChild(at resolution: Int) throws(GeoError) -> H3Cell {
        try checkChildResolution(resolution)
        var index = index & ~(UInt64(0xf) << 52) | UInt64(resolution) << 52
        for position in stride(from: self.resolution + 1, through: resolution, by: 1) {
            index &= ~(7 << UInt64(3 * (15 - position)))
        }
        return H3Cell(uncheckedIndex: index)
    }

    /// How many children this cell has at `resolution`: 7^n for a hexagon, 1 + 5(7^n − 1)/6 for a
    /// pentagon, n levels down.
    public func childrenCount(at resolution: Int) throws(GeoError) -> Int {
        try checkChildResolution(resolution)
        var power = 1
        for _ in self.resolution..<resolution { power *= 7 }
        return isPentagon ? 1 + 5 * (power - 1) / 6 : power
    }

    /// Every child at `resolution`, in index order.
    public func children(at resolution: Int) throws(GeoError) -> [H3Cell] {
        try checkChildResolution(resolution)
        var cells = [try centerChild(at: self.resolution)]
        for level in stride(from: self.resolution + 1, through: resolution, by: 1) {
            var next: [H3Cell] = []
            next.reserveCapacity(cells.count * 7)
            for cell in cells {
                let pentagon = cell.isPentagon
                let base = cell.index & ~(UInt64(0xf) << 52) | UInt64(level) << 52
                let shift = UInt64(3 * (15 - level))
                for digit: UInt64 in 0...6 where !(pentagon && digit == 1) {
                    next.append(H3Cell(uncheckedIndex: base & ~(7 << shift) | digit << shift))
                }
            }
            cells = next
        }
        return cells.sorted()
    }

    private func checkChildResolution(_ resolution: Int) throws(GeoError) {
        guard (self.resolution...H3Cell.maxResolution).contains(resolution) else {
            throw GeoError(
                .invalidResolution,
                "a child's resolution is between \(self.resolution) and \(H3Cell.maxResolution), got \(resolution)")
        }
    }
}
