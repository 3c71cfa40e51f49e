/// A position on a face's hexagonal lattice in H3's three-axis coordinates (i, j, k at 120° to
/// each other). Normalized, the three are non-negative and at least one is zero.
struct CoordIJK: Equatable, Sendable {
    var i: Int
    var j: Int
    var k: Int

    static let zero = CoordIJK(i: 0, j: 0, k: 0)

    /// The unit vector of each H3 digit: 0 centre, 1 K, 2 J, 3 JK, 4 I, 5 IK, 6 IJ.
    static let unitVectors: [CoordIJK] = [
        CoordIJK(i: 0, j: 0, k: 0), CoordIJK(i: 0, j: 0, k: 1), CoordIJK(i: 0, j: 1, k: 0),
        CoordIJK(i: 0, j: 1, k: 1), CoordIJK(i: 1, j: 0, k: 0), CoordIJK(i: 1, j: 0, k: 1),
        CoordIJK(i: 1, j: 1, k: 0),
    ]

    // Lattice coordinates stay below 2³⁰ at resolution 15, so the arithmetic cannot overflow and
    // skips Swift's overflow checks on this hot path.
    static func + (a: CoordIJK, b: CoordIJK) -> CoordIJK { CoordIJK(i: a.i &+ b.i, j: a.j &+ b.j, k: a.k &+ b.k) }
    static func - (a: CoordIJK, b: CoordIJK) -> CoordIJK { CoordIJK(i: a.i &- b.i, j: a.j &- b.j, k: a.k &- b.k) }
    static func * (a: CoordIJK, factor: Int) -> CoordIJK {
        CoordIJK(i: a.i &* factor, j: a.j &* factor, k: a.k &* factor)
    }

    /// x / 7 rounded to the nearest integer, as the reference's lround of the quotient, but in
    /// integers and without a branch: x / 7 is never halfway between two integers, and the bias
    /// keeps the dividend positive for any lattice coordinate.
    @inline(__always)
    static func dividedBy7Rounded(_ x: Int) -> Int {
        let bias = 1 << 40
        return (x &+ 3 &+ 7 &* bias) / 7 &- bias
    }

    /// The same lattice point with non-negative coordinates, the smallest being zero.
    var normalized: CoordIJK {
        var c = self
        if c.i < 0 {
            c.j &-= c.i
            c.k &-= c.i
            c.i = 0
        }
        if c.j < 0 {
            c.i &-= c.j
            c.k &-= c.j
            c.j = 0
        }
        if c.k < 0 {
            c.i &-= c.k
            c.j &-= c.k
            c.k = 0
        }
        let least = min(c.i, c.j, c.k)
        if least > 0 {
            c.i &-= least
            c.j &-= least
            c.k &-= least
        }
        return c
    }

    /// The point expressed with basis images `iVector`, `jVector`, `kVector`.
    private func transformed(_ iVector: CoordIJK, _ jVector: CoordIJK, _ kVector: CoordIJK) -> CoordIJK {
        (iVector * i + jVector * j + kVector * k).normalized
    }

    /// The parent position one aperture-7 level up, counter-clockwise (Class III → Class II).
    var upCounterClockwise: CoordIJK {
        let a = i &- k
        let b = j &- k
        return CoordIJK(i: Self.dividedBy7Rounded(3 &* a &- b), j: Self.dividedBy7Rounded(a &+ 2 &* b), k: 0).normalized
    }

    /// The parent position one aperture-7 level up, clockwise.
    var upClockwise: CoordIJK {
        let a = i &- k
        let b = j &- k
        return CoordIJK(i: Self.dividedBy7Rounded(2 &* a &+ b), j: Self.dividedBy7Rounded(3 &* b &- a), k: 0).normalized
    }

    /// The centre child's position one aperture-7 level down, counter-clockwise.
    var downCounterClockwise: CoordIJK {
        transformed(CoordIJK(i: 3, j: 0, k: 1), CoordIJK(i: 1, j: 3, k: 0), CoordIJK(i: 0, j: 1, k: 3))
    }

    /// The centre child's position one aperture-7 level down, clockwise.
    var downClockwise: CoordIJK {
        transformed(CoordIJK(i: 3, j: 1, k: 0), CoordIJK(i: 0, j: 3, k: 1), CoordIJK(i: 1, j: 0, k: 3))
    }

    /// The same point on the aperture-3 substrate grid one level down, counter-clockwise: the
    /// grid whose points include every cell's vertices.
    var downAperture3CounterClockwise: CoordIJK {
        transformed(CoordIJK(i: 2, j: 0, k: 1), CoordIJK(i: 1, j: 2, k: 0), CoordIJK(i: 0, j: 1, k: 2))
    }

    /// The same point on the aperture-3 substrate grid one level down, clockwise.
    var downAperture3Clockwise: CoordIJK {
        transformed(CoordIJK(i: 2, j: 1, k: 0), CoordIJK(i: 0, j: 2, k: 1), CoordIJK(i: 1, j: 0, k: 2))
    }

    /// Rotated 60° counter-clockwise about the origin.
    var rotatedCounterClockwise: CoordIJK {
        transformed(CoordIJK(i: 1, j: 1, k: 0), CoordIJK(i: 0, j: 1, k: 1), CoordIJK(i: 1, j: 0, k: 1))
    }

    /// Rotated 60° clockwise about the origin.
    var rotatedClockwise: CoordIJK {
        transformed(CoordIJK(i: 1, j: 0, k: 1), CoordIJK(i: 1, j: 1, k: 0), CoordIJK(i: 0, j: 1, k: 1))
    }

    /// The neighbour in direction `digit` (0 is the point itself).
    func neighbor(_ digit: Int) -> CoordIJK {
        guard digit > 0, digit < 7 else { return self }
        return (self + Self.unitVectors[digit]).normalized
    }

    /// The digit of a unit vector, or nil when this is not one: for (i, j, k) in {0, 1}, the
    /// digit is 4i + 2j + k (K = 1, J = 2, JK = 3, I = 4, IK = 5, IJ = 6).
    var digit: Int? {
        let c = normalized
        guard c.i <= 1, c.j <= 1, c.k <= 1 else { return nil }
        return 4 * c.i + 2 * c.j + c.k
    }
}
