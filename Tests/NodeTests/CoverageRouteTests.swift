import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import NIOCore
import Rewards
import Store
import Testing

@Suite struct CoverageRouteTests {
    /// Alice's hotspot onboarded and 3 of her tokens burned into 300,000 credits.
    func world(fee: Int64 = 100_000, oracleKey: Bool = false) async throws -> (NodeWorld, SigningKey) {
        var table = TOMLTable()
        table["assert_location_fee_credits"] = .init(value: .integer(fee), line: 0)
        table["entropy_interval_s"] = .init(value: .integer(30), line: 0)
        let world = try await NodeWorld(coverage: table, oracleKey: oracleKey)
        let hotspot = SigningKey()
        _ = try await world.store.apply(world.onboarding(hotspot), rules: world.state.rules, nowMs: world.nowMs)
        let burn = world.transaction(by: world.alice, nonce: 2) { $0.burn.amount = "3000000" }
        _ = try await world.store.apply(burn, rules: world.state.rules, nowMs: world.nowMs)
        return (world, hotspot)
    }

    func assertion(_ world: NodeWorld, _ hotspot: SigningKey, by key: SigningKey, nonce: UInt64, lat: Double = 48.86) -> Transaction {
        world.transaction(by: key, nonce: nonce) {
            $0.assertLocation.device = hotspot.publicKey.rawRepresentation
            $0.assertLocation.location.lat = lat
            $0.assertLocation.location.lng = 2.36
            $0.assertLocation.antennaGainDbi = 5.8
            $0.assertLocation.elevationM = 12
        }
    }

    @Test func assertingALocationCostsTheFeeAndRestartsTrust() async throws {
        let (world, hotspot) = try await world()
        try await world.app.test(.router) { client in
            let post = { (transaction: Transaction) in
                try await client.execute(
                    uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(transaction.canonicalBytes))
            }
            // Not the owner: refused, nothing changes.
            let stranger = try await post(assertion(world, hotspot, by: world.bob, nonce: 1))
            #expect(stranger.status == .forbidden)
            #expect(try object(stranger.body)["error"] as? String == "not_owner")
            // Off the globe: refused.
            let nowhere = try await post(assertion(world, hotspot, by: world.alice, nonce: 3, lat: 91))
            #expect(try object(nowhere.body)["error"] as? String == "invalid_location")
            let moved = try await post(assertion(world, hotspot, by: world.alice, nonce: 3))
            #expect(moved.status == .ok)
            let account = try await client.execute(uri: "/v1/accounts/\(world.alice.address)", method: .get)
            #expect(try object(account.body)["credits"] as? String == "200000")
            let device = try object(try await client.execute(uri: "/v1/devices/\(hotspot.address)", method: .get).body)
            #expect((device["location"] as? [String: Any])?["lat"] as? Double == 48.86)
            #expect(device["antenna_gain_dbi"] as? Double == 5.8)
            #expect((device["location_reasserted_ms"] as? NSNumber)?.int64Value == world.nowMs)
        }
        let input = try await world.store.epochInput(epoch: 24, startMs: world.nowMs, endMs: world.nowMs + 3_600_000)
        let location = try #require(input.devices.first { $0.id == hotspot.address }?.location)
        #expect(location.reassertedMs == world.nowMs)
        #expect(location.elevationM == 12)
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
    }

    @Test func anAssertionWithoutTheCreditsIsRefused() async throws {
        let (world, hotspot) = try await world(fee: 400_000)
        try await world.app.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary,
                body: protobuf(assertion(world, hotspot, by: world.alice, nonce: 3).canonicalBytes))
            #expect(response.status == .unprocessableContent)
            #expect(try object(response.body)["error"] as? String == "insufficient_credits")
        }
        #expect(try await world.store.device(hotspot.publicKey)?.locationReassertedMs == nil)
    }

    @Test func theNodeSignsEntropyWhenItHoldsAnOracleKey() async throws {
        let (world, _) = try await world(oracleKey: true)
        try await world.app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/entropy", method: .get)
            #expect(response.status == .ok)
            let json = try object(response.body)
            let wire = try #require(json["wire"] as? String)
            let bytes = try #require(Data(hex: wire))
            let entropy = try Entropy(wireBytes: bytes)
            #expect(try entropy.verifySignature() == world.oracle.publicKey)
            #expect(entropy.timestampMs <= world.nowMs && world.nowMs < entropy.timestampMs + 30_000)
            #expect(json["value"] as? String == entropy.value.hexString)
            let reasons = try await client.execute(uri: "/v1/coverage/reasons", method: .get)
            #expect(String(buffer: reasons.body).contains("rssi_too_strong"))
        }
        let (plain, _) = try await self.world()
        try await plain.app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/entropy", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(try object(response.body)["error"] as? String == "no_oracle_key")
        }
    }

    @Test func coverageReportsAreCheckedAtTheDoor() async throws {
        let (world, hotspot) = try await world()
        var unsigned = Report()
        unsigned.nonce = 1
        unsigned.timestampMs = world.nowMs
        unsigned.witness.beaconer = SigningKey().publicKey.rawRepresentation
        unsigned.witness.beaconData = Data(repeating: 1, count: 32)
        unsigned.witness.location.lat = 48.85
        unsigned.witness.location.lng = 2.35
        unsigned.witness.rssiDbm = 12
        unsigned.witness.frequencyHz = 915_000_000
        unsigned.sign(with: hotspot)
        let witness = unsigned
        try await world.app.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/reports", method: .post, headers: binary, body: protobuf(witness.canonicalBytes))
            #expect(response.status == .badRequest)
            #expect(try object(response.body)["error"] as? String == "rssi_out_of_range")
        }
        #expect(try await world.store.counts().reports == 0)
    }
}
