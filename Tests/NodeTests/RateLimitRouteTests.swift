import Core
import Foundation
import Hummingbird
import Ledger
import HummingbirdTesting
import Node
import NIOCore
import Store
import Testing

/// Rate limits through the API: per device for reports, per account for signed requests, 429
/// with Retry-After, and no one spends another's budget.
@Suite struct RateLimitRouteTests {
    func world(deviceBurst: Int = 2, accountBurst: Int = 600) async throws -> (NodeWorld, SigningKey) {
        let world = try await NodeWorld(
            deviceRate: RateLimit(perMinute: 1, burst: deviceBurst), accountRate: RateLimit(perMinute: 1, burst: accountBurst))
        let hotspot = SigningKey()
        _ = try await world.store.apply(world.onboarding(hotspot), rules: world.state.rules, nowMs: world.nowMs)
        return (world, hotspot)
    }

    func expectLimited(_ response: TestResponse) throws {
        #expect(response.status == .tooManyRequests)
        #expect(try object(response.body)["error"] as? String == "rate_limited")
        let wait = response.headers[.retryAfter].flatMap { Int($0) }
        #expect(wait.map { (1...60).contains($0) } == true, "Retry-After: \(response.headers[.retryAfter] ?? "none")")
    }

    func batch(_ reports: [Report]) -> ByteBuffer {
        var batch = ReportBatch()
        batch.reports = reports
        return protobuf(batch.canonicalBytes)
    }

    @Test func aDeviceOverItsRateIsAnswered429WithRetryAfterAndNothingIsStored() async throws {
        let (world, hotspot) = try await world()
        try await world.app.test(.router) { client in
            for nonce in 1...2 {
                try await client.execute(
                    uri: "/v1/reports", method: .post, headers: binary,
                    body: protobuf(world.heartbeat(hotspot, nonce: UInt64(nonce)).canonicalBytes)
                ) { #expect($0.status == .accepted) }
            }
            try await client.execute(
                uri: "/v1/reports", method: .post, headers: binary,
                body: protobuf(world.heartbeat(hotspot, nonce: 3).canonicalBytes)
            ) { try expectLimited($0) }
            // A batch of nothing but over-rate reports is a 429 too.
            try await client.execute(
                uri: "/v1/reports/batch", method: .post, headers: binary,
                body: batch([world.heartbeat(hotspot, nonce: 4), world.heartbeat(hotspot, nonce: 5)])
            ) { try expectLimited($0) }
        }
        #expect(try await world.store.counts().reports == 2)
        #expect(try await world.store.device(hotspot.publicKey)?.lastReportNonce == 2)
    }

    @Test func aBatchRefusesOnlyTheReportsPastEachDevicesBudget() async throws {
        let (world, busy) = try await world()
        let quiet = SigningKey()
        _ = try await world.store.apply(world.onboarding(quiet, nonce: 2), rules: world.state.rules, nowMs: world.nowMs)
        try await world.app.test(.router) { client in
            let reports = [
                world.heartbeat(busy, nonce: 1), world.heartbeat(busy, nonce: 2), world.heartbeat(quiet, nonce: 1),
                world.heartbeat(busy, nonce: 3),
            ]
            try await client.execute(uri: "/v1/reports/batch", method: .post, headers: binary, body: batch(reports)) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.retryAfter] != nil)
                let results = try object(response.body)["results"] as? [[String: Any]] ?? []
                #expect(results.map { $0["status"] as? String } == ["accepted", "accepted", "accepted", "rejected"])
                #expect(results[3]["error"] as? String == "rate_limited")
            }
        }
        #expect(try await world.store.counts().reports == 3)
    }

    @Test func forgedReportsDoNotSpendTheDevicesBudget() async throws {
        let (world, hotspot) = try await world()
        try await world.app.test(.router) { client in
            for nonce in 1...5 {
                var forged = world.heartbeat(hotspot, nonce: UInt64(nonce))
                forged.signature = SigningKey().sign(forged.signingBytes)
                try await client.execute(
                    uri: "/v1/reports", method: .post, headers: binary, body: protobuf(forged.canonicalBytes)
                ) { #expect($0.status == .unauthorized) }
            }
            for nonce in 1...2 {
                try await client.execute(
                    uri: "/v1/reports", method: .post, headers: binary,
                    body: protobuf(world.heartbeat(hotspot, nonce: UInt64(nonce)).canonicalBytes)
                ) { #expect($0.status == .accepted) }
            }
        }
    }

    @Test func anAccountOverItsRateIsAnswered429AndAForgerySpendsNothing() async throws {
        let (world, _) = try await world(accountBurst: 1)
        @Sendable func transfer(_ nonce: UInt64) -> Transaction {
            world.transaction(by: world.alice, nonce: nonce) {
                $0.transfer.to = world.bob.address.description
                $0.transfer.amount = "1000"
            }
        }
        try await world.app.test(.router) { client in
            // The onboarding in `world()` took Alice's nonce 1.
            var forged = transfer(2)
            forged.signature = SigningKey().sign(forged.signingBytes)
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(forged.canonicalBytes)
            ) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(transfer(2).canonicalBytes)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(transfer(3).canonicalBytes)
            ) { try expectLimited($0) }
            // Bob's budget is his own.
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary,
                body: protobuf(
                    world.transaction(by: world.bob, nonce: 1) {
                        $0.transfer.to = world.alice.address.description
                        $0.transfer.amount = "1"
                    }.canonicalBytes)
            ) { #expect($0.status != .tooManyRequests) }
        }
        #expect(try await world.store.account(world.alice.address)?.nonce == 2)
    }
}
