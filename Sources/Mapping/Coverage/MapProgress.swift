import Core
import Geo

/// Map progress by region: of the road cells ever mapped in a region (its known roads), the
/// share mapped within the freshness window. A region's progress sets its multiplier as
/// Hivemapper's MIP-7 does: 1x below 70%, 1.5x from 70%, 2x from 80%, 3x from 90%.
public struct MapProgress: Sendable, Equatable {
    /// One region's standing.
    public struct Region: Sendable, Equatable {
        /// Cells ever mapped in it.
        public var known: Int
        /// Of those, cells mapped within the freshness window.
        public var fresh: Int

        /// A region's counts.
        public init(known: Int, fresh: Int) {
            self.known = known
            self.fresh = fresh
        }

        /// Fresh over known, permille (0 for a region with no known cells).
        public var permille: Int { known == 0 ? 0 : fresh * 1_000 / known }
        /// The multiplier its progress earns, permille.
        public var multiplier: Int { MapProgress.multiplier(progressPermille: permille) }
    }

    /// MIP-7's tiers: (least progress, multiplier), permille, highest first.
    public static let tiers: [(progress: Int, multiplier: Int)] = [(900, 3_000), (800, 2_000), (700, 1_500)]

    /// The multiplier for a progress, permille.
    public static func multiplier(progressPermille: Int) -> Int {
        tiers.first { progressPermille >= $0.progress }?.multiplier ?? 1_000
    }

    /// Regions by H3 index at `resolution`.
    public var regions: [UInt64: Region] = [:]
    /// Their resolution.
    public let resolution: Int

    /// The progress of every region of `state` at `nowMs`: a cell is fresh when mapped less
    /// than `freshnessMs` before.
    public init(_ state: MapState, resolution: Int, nowMs: Int64, freshnessMs: Int64) {
        self.resolution = resolution
        for (index, cell) in state.cells {
            guard let region = Self.region(of: index, resolution: resolution) else { continue }
            regions[region, default: Region(known: 0, fresh: 0)].known += 1
            if nowMs - cell.mappedMs < freshnessMs { regions[region]!.fresh += 1 }
        }
    }

    /// The region (at `resolution`) that holds cell `index`.
    public static func region(of index: UInt64, resolution: Int) -> UInt64? {
        guard let cell = try? H3Cell(index: index), cell.resolution >= resolution else { return nil }
        return try? cell.parent(at: resolution).index
    }

    /// The multiplier of the region that holds cell `index`, permille (1x where nothing is known).
    public func multiplier(ofCell index: UInt64) -> Int {
        Self.region(of: index, resolution: resolution).flatMap { regions[$0]?.multiplier } ?? 1_000
    }
}
