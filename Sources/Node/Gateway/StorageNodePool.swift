import Core
import Foundation
import Geo
import Ledger
import Store
import Synchronization

/// The storage nodes the gateway places pieces on: those whose latest `storage_status` is fresh
/// (within three heartbeat intervals, and at least 15 seconds), with room for a piece, ordered so that consecutive
/// choices fall in distinct H3 regions (resolution 3, about 12,000 km²) where the nodes asserted
/// a location, and otherwise at random. The directory is read again at most every few seconds.
final class StorageNodePool: Sendable {
    let store: any NetworkStore
    let freshMs: Int64
    let refreshMs: Int64
    private let cache = Mutex<(readMs: Int64, nodes: [StorageNodeListing])>((0, []))

    init(store: any NetworkStore, heartbeatSeconds: Int64, refreshMs: Int64 = 3_000) {
        self.store = store
        freshMs = Self.freshMs(heartbeatSeconds: heartbeatSeconds)
        self.refreshMs = refreshMs
    }

    /// How recent a storage node's announcement must be for it to count as online.
    static func freshMs(heartbeatSeconds: Int64) -> Int64 { max(heartbeatSeconds * 3_000, 15_000) }

    /// Whether `node` announced itself within `freshMs` of `nowMs`.
    static func isOnline(_ node: StorageNodeListing, nowMs: Int64, freshMs: Int64) -> Bool { nowMs - node.reportedMs <= freshMs }

    /// Nodes with at least `pieceBytes` free, in the order to prefer them, as of `nowMs`. When
    /// the cached directory offers fewer than `wanted` and is over half a second old, it is read again
    /// first: a node that announced itself since is not turned away for the rest of the interval.
    func candidates(pieceBytes: Int, nowMs: Int64, wanted: Int = 0) async throws -> [StorageNodeListing] {
        var usable = try await usable(pieceBytes: pieceBytes, nowMs: nowMs)
        if usable.count < wanted, nowMs - cache.withLock({ $0.readMs }) > 500 {
            invalidate()
            usable = try await self.usable(pieceBytes: pieceBytes, nowMs: nowMs)
        }
        // A random rotation spreads blobs over the nodes; region order is kept within it.
        guard !usable.isEmpty else { return [] }
        let shift = Int.random(in: 0..<usable.count)
        return Array(usable[shift...] + usable[..<shift])
    }

    private func usable(pieceBytes: Int, nowMs: Int64) async throws -> [StorageNodeListing] {
        try await directory(nowMs: nowMs).filter {
            Self.isOnline($0, nowMs: nowMs, freshMs: freshMs) && $0.capacityBytes >= $0.usedBytes + UInt64(max(pieceBytes, 0))
        }
    }

    /// Where each storage node serves now, by its latest announcement: a node that came back on
    /// another port is found there.
    func addresses(nowMs: Int64) async throws -> [Address: String] {
        Dictionary(try await directory(nowMs: nowMs).map { ($0.device, $0.url) }) { first, _ in first }
    }

    /// `segment` with each piece's URL where its node serves now.
    func relocated(_ segment: BlobRecord.Segment, to addresses: [Address: String]) -> BlobRecord.Segment {
        var moved = segment
        for index in moved.pieces.indices { moved.pieces[index].url = addresses[moved.pieces[index].node] ?? moved.pieces[index].url }
        return moved
    }

    /// Every storage node's latest announcement but the disqualified ones', in region order,
    /// read again when stale.
    private func directory(nowMs: Int64) async throws -> [StorageNodeListing] {
        let cached = cache.withLock { $0 }
        guard nowMs - cached.readMs > refreshMs else { return cached.nodes }
        let disqualified = Set(try await store.reputations().filter { $0.disqualifiedMs != nil }.map(\.node))
        let nodes = try await regionOrdered(try await store.storageNodes(limit: 10_000).filter { !disqualified.contains($0.device) })
        cache.withLock { $0 = (nowMs, nodes) }
        return nodes
    }

    /// Forgets the cached directory (after nodes failed, say).
    func invalidate() {
        cache.withLock { $0.readMs = 0 }
    }

    /// `nodes` interleaved by region: one from each region in turn, nodes without a location
    /// each a region of their own.
    private func regionOrdered(_ nodes: [StorageNodeListing]) async throws -> [StorageNodeListing] {
        var regions: [UInt64: [StorageNodeListing]] = [:]
        var order: [UInt64] = []
        for node in nodes.shuffled() {
            var region = UInt64.max - UInt64(order.count)
            if let device = try await store.device(node.device.publicKey), let latitude = device.latitude,
                let longitude = device.longitude, let cell = try? H3Cell(latitude: latitude, longitude: longitude, resolution: 3)
            {
                region = cell.index
            }
            if regions[region] == nil { order.append(region) }
            regions[region, default: []].append(node)
        }
        var ordered: [StorageNodeListing] = []
        var round = 0
        while ordered.count < nodes.count {
            for region in order where round < regions[region]!.count { ordered.append(regions[region]![round]) }
            round += 1
        }
        return ordered
    }
}
