import Foundation
import Hummingbird
import Mapping
import Store
import Synchronization

/// The map as the last closed epoch left it, decoded once per epoch for the map queries.
final class MapCache: Sendable {
    private let latest = Mutex<(service: String, epoch: Int64, map: MapState)?>(nil)

    /// The map `service` left after closed epoch `epoch` (empty when it left none).
    func map(_ service: String, epoch: Int64, store: any NetworkStore) async throws -> MapState {
        if let hit = latest.withLock({ $0 }), hit.service == service, hit.epoch == epoch { return hit.map }
        let map = try await Self.load(service, epoch: epoch, store: store)
        latest.withLock { $0 = (service, epoch, map) }
        return map
    }

    /// Reads and decodes one epoch's map, uncached.
    static func load(_ service: String, epoch: Int64, store: any NetworkStore) async throws -> MapState {
        guard let bytes = try await store.serviceState(service, epoch: epoch) else { return MapState() }
        do { return try MapState(decoding: bytes) } catch {
            throw NodeError(.internalServerError, "store_corrupt", "the map state of epoch \(epoch) does not decode: \(error)")
        }
    }
}
