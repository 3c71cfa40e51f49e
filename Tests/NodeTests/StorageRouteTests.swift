import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import NIOCore
import Store
import Testing

/// Storage nodes announce themselves with signed `storage_status` reports; the node lists each
/// one's latest; a malformed announcement is refused with its reason code and not listed.
@Suite struct StorageRouteTests {
    @Test func storageNodesAreListedByTheirLatestAnnouncement() async throws {
        let world = try await NodeWorld(storage: true)
        let (first, second, hotspot) = (SigningKey(), SigningKey(), SigningKey())
        _ = try await world.store.apply(world.onboarding(first, kind: .storageNode, nonce: 1), rules: world.state.rules, nowMs: world.nowMs)
        _ = try await world.store.apply(world.onboarding(second, kind: .storageNode, nonce: 2), rules: world.state.rules, nowMs: world.nowMs)
        _ = try await world.store.apply(world.onboarding(hotspot, kind: .hotspot, nonce: 3), rules: world.state.rules, nowMs: world.nowMs)
        try await world.app.test(.router) { client in
            func announce(_ node: SigningKey, nonce: UInt64, url: String, capacity: UInt64, used: UInt64, at ms: Int64) async throws
                -> [String: Any]
            {
                var report = Report()
                report.nonce = nonce
                report.timestampMs = ms
                report.storageStatus.url = url
                report.storageStatus.capacityBytes = capacity
                report.storageStatus.usedBytes = used
                report.sign(with: node)
                return try object(
                    try await client.execute(uri: "/v1/reports", method: .post, headers: binary, body: protobuf(report.canonicalBytes)).body)
            }
            #expect(try await announce(first, nonce: 1, url: "http://10.0.0.1:9000", capacity: 1_000, used: 10, at: world.nowMs)["status"] as? String == "accepted")
            #expect(try await announce(second, nonce: 1, url: "http://10.0.0.2:9000", capacity: 5_000, used: 0, at: world.nowMs + 1)["status"] as? String == "accepted")
            #expect(try await announce(first, nonce: 2, url: "http://10.0.0.1:9001", capacity: 1_000, used: 400, at: world.nowMs + 2)["status"] as? String == "accepted")
            // Refused: not an http URL, more used than capacity, and a hotspot announcing storage.
            #expect(try await announce(second, nonce: 2, url: "ftp://x", capacity: 5_000, used: 0, at: world.nowMs + 3)["error"] as? String == "storage_bad_url")
            #expect(try await announce(second, nonce: 3, url: "http://10.0.0.2:1", capacity: 5, used: 6, at: world.nowMs + 3)["error"] as? String == "storage_bad_capacity")
            #expect(try await announce(hotspot, nonce: 1, url: "http://10.0.0.3:1", capacity: 5, used: 0, at: world.nowMs + 3)["error"] as? String == "kind_not_allowed")

            let listed = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(try await client.execute(uri: "/v1/storage/nodes", method: .get).body.readableBytesView)) as? [[String: Any]])
            #expect(listed.count == 2)
            #expect(listed.first?["device"] as? String == first.address.description)
            #expect(listed.first?["url"] as? String == "http://10.0.0.1:9001" && listed.first?["used_bytes"] as? Int == 400)
            #expect(listed.last?["url"] as? String == "http://10.0.0.2:9000" && listed.last?["capacity_bytes"] as? Int == 5_000)
        }
    }
}
