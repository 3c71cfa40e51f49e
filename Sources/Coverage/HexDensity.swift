import Geo

/// Hex density scaling in the manner of Helium's HIP-17: where hotspots crowd together, each is
/// paid as if the crowd were only as large as the network wants there.
///
/// Hotspots are counted in their cell at the base resolution (11). Then, for each rule from the
/// finest resolution to the coarsest, every occupied hex h gets
///
///     count(h)    = the sum of its children's clipped counts
///     occupied(h) = how many of h and its six neighbours have count ≥ target
///     limit(h)    = min(max, target × max(occupied − N + 1, 1))
///     clipped(h)  = min(limit(h), count(h))
///
/// A hotspot's scale is the product, over the rules, of clipped(h) / count(h) for its ancestor
/// h, in integer parts per 10,000, each step rounded down.
public struct HexDensity: Sendable {
    /// Parts per 10,000 that mean "unscaled".
    public static let one: UInt128 = 10_000

    /// Each hotspot's scale in parts per 10,000.
    public private(set) var scales: [Int: UInt128] = [:]

    /// Scales for hotspots at `cells` (each at the base resolution or finer), keyed by the
    /// caller's index.
    public init(cells: [Int: H3Cell], rules: [CoverageParameters.DensityRule], baseResolution: Int) {
        var level: [Int: H3Cell] = [:]
        var clipped: [H3Cell: Int] = [:]
        for (index, cell) in cells {
            guard let base = try? cell.parent(at: min(baseResolution, cell.resolution)) else { continue }
            level[index] = base
            clipped[base, default: 0] += 1
        }
        var scales = level.mapValues { _ in Self.one }
        for rule in rules {
            var count: [H3Cell: Int] = [:]
            var parentOf: [Int: H3Cell] = [:]
            for (index, cell) in level {
                guard let parent = try? cell.parent(at: rule.resolution) else { continue }
                parentOf[index] = parent
            }
            for (child, value) in clipped {
                guard let parent = try? child.parent(at: rule.resolution) else { continue }
                count[parent, default: 0] += value
            }
            var next: [H3Cell: Int] = [:]
            for (hex, total) in count {
                let ring = [hex] + hex.neighbors
                let occupied = ring.filter { (count[$0] ?? 0) >= rule.target }.count
                let limit = min(rule.max, rule.target * max(occupied - rule.neighbors + 1, 1))
                next[hex] = min(limit, total)
            }
            for (index, parent) in parentOf {
                let total = UInt128(count[parent] ?? 0)
                guard total > 0 else { continue }
                scales[index] = (scales[index] ?? Self.one) * UInt128(next[parent] ?? 0) / total
            }
            level = parentOf
            clipped = next
        }
        self.scales = scales
    }
}
