import Core
import Foundation

/// The simulated devices: one row per device ever added (its cohort, and when it joined and
/// left), and for each cohort the devices in it now. Devices of one cohort (same kind, region
/// and quality tier) behave alike, so the rules score the cohort once, through a representative,
/// and each member gets an equal part: that is what lets a run carry a million devices.
/// In `individual` mode every device is its own cohort, scored on its own, as the node would.
public struct DeviceFleet: Sendable {
    /// A group of devices that behave alike.
    public struct Cohort: Sendable {
        /// The index of its fleet in the scenario.
        public var fleet: Int
        /// Its region's index in the scenario, or nil outside every region.
        public var region: Int?
        /// Its quality tier.
        public var tier: Int
        /// The share of the time its devices are online.
        public var uptime: Double
        /// The key its representative signs with (a deterministic key, so runs repeat).
        public var key: SigningKey
        /// The representative's address.
        public var address: Address
    }

    /// Whether cohorts group devices or each device stands alone.
    public enum Mode: Sendable, Equatable {
        /// Devices of a kind, region and tier form one cohort.
        case cohorts
        /// Every device is scored on its own (small populations; what the node does).
        case individual
    }

    /// The mode.
    public let mode: Mode
    /// The cohorts, by index.
    public private(set) var cohorts: [Cohort] = []
    /// Each device's cohort.
    public private(set) var cohortOf: [Int32] = []
    /// The epoch each device joined.
    public private(set) var joined: [Int32] = []
    /// The epoch each device left, or `Int32.max` while it is active.
    public private(set) var left: [Int32] = []
    /// The devices in each cohort now.
    public private(set) var members: [[Int32]] = []
    /// Devices that never leave (the hardware owner's own device in an earnings estimate).
    private var pinned: Set<Int32> = []
    private let tiers: Int
    private let regionCount: Int

    /// An empty fleet for a scenario with `tiers` tiers and `regions` regions.
    public init(mode: Mode, scenario: Scenario) {
        self.mode = mode
        tiers = scenario.tiers
        regionCount = scenario.regions.count
        if mode == .cohorts {
            for (fleetIndex, fleet) in scenario.fleets.enumerated() {
                for region in [nil] + scenario.regions.indices.map(Optional.some) {
                    for tier in 0..<scenario.tiers {
                        let uptime = Self.uptime(
                            tier: tier, of: scenario.tiers, range: region.flatMap { scenario.regions[$0].uptime } ?? fleet.uptime)
                        cohorts.append(Self.cohort(fleet: fleetIndex, region: region, tier: tier, uptime: uptime, serial: cohorts.count))
                        members.append([])
                    }
                }
            }
        }
    }

    /// Devices ever added.
    public var count: Int { cohortOf.count }

    /// The uptime of `tier` of `tiers` within `range`: the tiers' midpoints spread it evenly.
    public static func uptime(tier: Int, of tiers: Int, range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * (Double(tier) + 0.5) / Double(tiers)
    }

    /// Adds a device of `fleet` in `region` at `tier`, joining in `epoch`; returns its index.
    @discardableResult
    public mutating func add(fleet: Int, region: Int?, tier: Int, uptime: Double, epoch: Int, pinned isPinned: Bool = false)
        -> Int32
    {
        let device = Int32(cohortOf.count)
        let cohort: Int
        switch mode {
        case .cohorts:
            cohort = cohortIndex(fleet: fleet, region: region, tier: tier)
        case .individual:
            cohort = cohorts.count
            cohorts.append(Self.cohort(fleet: fleet, region: region, tier: tier, uptime: uptime, serial: cohort))
            members.append([])
        }
        cohortOf.append(Int32(cohort))
        joined.append(Int32(epoch))
        left.append(.max)
        members[cohort].append(device)
        if isPinned { pinned.insert(device) }
        return device
    }

    /// Switches off up to `count` devices of `cohort` picked at random (never a pinned one) in
    /// `epoch`; returns how many left.
    @discardableResult
    public mutating func remove(_ count: Int, from cohort: Int, epoch: Int, using random: inout SeededGenerator) -> Int {
        var removed = 0
        var attempts = 0
        while removed < count, members[cohort].count > pinnedCount(cohort), attempts < count * 4 + 8 {
            attempts += 1
            let position = Int(random.next() % UInt64(members[cohort].count))
            let device = members[cohort][position]
            if pinned.contains(device) { continue }
            members[cohort].swapAt(position, members[cohort].count - 1)
            members[cohort].removeLast()
            left[Int(device)] = Int32(epoch)
            removed += 1
        }
        return removed
    }

    private func pinnedCount(_ cohort: Int) -> Int {
        pinned.isEmpty ? 0 : members[cohort].count { pinned.contains($0) }
    }

    /// The cohort index of `fleet`, `region` and `tier` (cohorts mode).
    public func cohortIndex(fleet: Int, region: Int?, tier: Int) -> Int {
        (fleet * (regionCount + 1) + (region.map { $0 + 1 } ?? 0)) * tiers + tier
    }

    private static func cohort(fleet: Int, region: Int?, tier: Int, uptime: Double, serial: Int) -> Cohort {
        let key = representativeKey(serial: serial)
        return Cohort(fleet: fleet, region: region, tier: tier, uptime: uptime, key: key, address: key.address)
    }

    /// The key of the representative of cohort number `serial` (in individual mode, of the
    /// `serial`-th device added): deterministic, so that a run repeats and a test can sign what
    /// the representatives send.
    public static func representativeKey(serial: Int) -> SigningKey {
        try! SigningKey(seed: SHA256Digest.hash(Data("depin-sim/cohort/\(serial)".utf8)))
    }
}
