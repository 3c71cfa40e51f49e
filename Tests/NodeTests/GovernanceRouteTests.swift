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

/// Operators' changes through the HTTP API: only an operator key may make them, they take effect
/// from the next epoch, and every epoch's inputs record them so a recomputation reproduces it.
@Suite struct GovernanceRouteTests {
    /// Two meters onboarded by Alice, each sending readings every five minutes of `epochs`
    /// (epoch 24 is the world's now), with `changes` posted at the start of epoch 24.
    func run(
        _ world: NodeWorld, meters: [SigningKey], epochs: ClosedRange<Int64>,
        changes: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws -> [EpochResult] {
        for (index, meter) in meters.enumerated() {
            _ = try await world.store.apply(
                world.onboarding(meter, kind: .meter, nonce: UInt64(index + 1)), rules: world.state.rules,
                nowMs: world.nowMs - 1)
        }
        try await world.app.test(.router) { client in
            try await changes(client)
            var nonce: UInt64 = 0
            for epoch in epochs {
                for step in 0..<6 {
                    let time = world.nowMs + (epoch - 24) * 3_600_000 + Int64(step) * 600_000
                    world.clock.nowMs = time
                    nonce += 1
                    for meter in meters {
                        let report = world.meterReadings(
                            meter, nonce: nonce, at: time, exportedWh: 1_000_000 + nonce * 100)
                        try await client.execute(
                            uri: "/v1/reports", method: .post, headers: binary, body: protobuf(report.canonicalBytes)
                        ) { #expect($0.status == .accepted) }
                    }
                }
            }
        }
        world.clock.nowMs = world.nowMs + (epochs.upperBound - 23) * 3_600_000 + 60_000
        return try await EpochCloser(state: world.state).closeDue()
    }

    func post(_ transaction: Transaction, _ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(
            uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(transaction.canonicalBytes)
        ) { ($0.status, try object($0.body)) }
    }

    /// The epoch recomputed from its stored input (as JSON, as an oracle receives it).
    func recomputed(_ world: NodeWorld, _ result: EpochResult) async throws -> (EpochInput, EpochResult) {
        let stored = try await world.store.epochInput(epoch: result.epoch, startMs: result.startMs, endMs: result.endMs)
        let input = try JSONDecoder().decode(EpochInput.self, from: try JSONEncoder().encode(stored))
        return (input, try ServiceCatalog.engine(world.state.engine, for: input).close(input))
    }

    @Test func anOperatorDenylistsADeviceFromTheNextEpoch() async throws {
        let world = try await NodeWorld()
        let (listed, other) = (SigningKey(), SigningKey())
        let closed = try await run(world, meters: [listed, other], epochs: 24...25) { client in
            let deny = { (key: SigningKey, nonce: UInt64) in
                world.transaction(by: key, nonce: nonce) {
                    $0.denylistDevice.device = listed.publicKey.rawRepresentation
                    $0.denylistDevice.listed = true
                    $0.denylistDevice.reason = "location spoofing"
                }
            }
            // Alice owns devices but is no operator: refused, nothing recorded.
            let (status, body) = try await post(deny(world.alice, 3), client)
            #expect(status == .forbidden)
            #expect(body["error"] as? String == "not_operator")
            #expect(try await world.store.governanceChanges().isEmpty)
            #expect(try await post(deny(world.operatorKey, 1), client).0 == .ok)
            // Listing it again changes nothing and is refused.
            let (again, error) = try await post(deny(world.operatorKey, 2), client)
            #expect(again == .unprocessableContent)
            #expect(error["error"] as? String == "invalid_denylist")
            // An unregistered device cannot be listed.
            let stranger = world.transaction(by: world.operatorKey, nonce: 2) {
                $0.denylistDevice.device = SigningKey().publicKey.rawRepresentation
                $0.denylistDevice.listed = true
            }
            #expect(try await post(stranger, client).1["error"] as? String == "unknown_device")
            try await client.execute(uri: "/v1/governance", method: .get) { response in
                let json = try object(response.body)
                let current = try #require(json["current"] as? [String: Any])
                let next = try #require(json["next"] as? [String: Any])
                #expect(current["epoch"] as? Int == 24)
                #expect((current["denylist"] as? [Any])?.isEmpty == true)
                let entries = try #require(next["denylist"] as? [[String: Any]])
                #expect(entries.map { $0["device"] as? String } == [listed.address.description])
                #expect(entries.first?["reason"] as? String == "location spoofing")
                let changes = try #require(json["changes"] as? [[String: Any]])
                #expect(changes.count == 1)
                #expect(changes.first?["effective_epoch"] as? Int == 25)
                #expect(changes.first?["signer"] as? String == world.operatorKey.address.description)
            }
            try await client.execute(uri: "/v1/devices/\(listed.address)", method: .get) { response in
                let status = try #require(try object(response.body)["denylist"] as? [String: Any])
                #expect(status["listed"] as? Bool == false)
                #expect(status["listed_next_epoch"] as? Bool == true)
                #expect(status["reason"] as? String == "location spoofing")
            }
        }
        let before = try #require(closed.first(where: { $0.epoch == 24 }))
        let after = try #require(closed.first(where: { $0.epoch == 25 }))
        // Epoch 24 began before the change: both meters share the telemetry pool.
        #expect(before.reward(of: listed.address)?.amount == Amount(250_000_000))
        #expect(before.reward(of: other.address)?.amount == Amount(250_000_000))
        // From epoch 25 the listed meter earns nothing, and its explanation says why.
        let denied = try #require(after.reward(of: listed.address))
        #expect(denied.amount == .zero)
        #expect(denied.counted == 0)
        #expect(denied.rejected == ["denylisted": 6])
        #expect(after.reward(of: other.address)?.amount == Amount(500_000_000))

        try await world.app.test(.router) { client in
            try await client.execute(uri: "/v1/devices/\(listed.address)/rewards?epoch=25", method: .get) { response in
                let list = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
                let explanation = try #require(list?.first?["explanation"] as? String)
                #expect(explanation.contains("denylist"), "\(explanation)")
            }
        }
        let (input, again) = try await recomputed(world, after)
        #expect(input.denylist == [listed.address])
        #expect(again.root == after.root)
        #expect(again.devices == after.devices)
        #expect(try await recomputed(world, before).0.denylist.isEmpty)
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
    }

    @Test func anOperatorChangesAPoolWeightFromTheNextEpoch() async throws {
        let world = try await NodeWorld()
        let meter = SigningKey()
        let closed = try await run(world, meters: [meter], epochs: 24...25) { client in
            let set = { (key: SigningKey, nonce: UInt64, service: String, parameter: String, value: String) in
                world.transaction(by: key, nonce: nonce) {
                    $0.setServiceParameter.service = service
                    $0.setServiceParameter.key = parameter
                    $0.setServiceParameter.value = value
                }
            }
            #expect(try await post(set(world.alice, 2, "telemetry", "weight", "3"), client).1["error"] as? String == "not_operator")
            // Refused with the reason: no such service, not TOML, a key the service does not read, out of range.
            for (service, parameter, value) in [
                ("storage", "weight", "3"), ("telemetry", "weight", "three"), ("telemetry", "colour", "1"),
                ("telemetry", "meter_points", "-5"), ("telemetry", "weight", "2.5"),
            ] {
                let (status, body) = try await post(set(world.operatorKey, 1, service, parameter, value), client)
                #expect(status == .unprocessableContent, "\(service).\(parameter) = \(value)")
                #expect(body["error"] as? String == "invalid_parameter")
                #expect((body["message"] as? String)?.isEmpty == false)
            }
            #expect(try await post(set(world.operatorKey, 1, "telemetry", "weight", "3"), client).0 == .ok)
            try await client.execute(uri: "/v1/governance", method: .get) { response in
                let next = try #require(try object(response.body)["next"] as? [String: Any])
                let parameters = try #require(next["parameters"] as? [[String: Any]])
                #expect(parameters.first?["service"] as? String == "telemetry")
                #expect(parameters.first?["value"] as? String == "3")
            }
        }
        let before = try #require(closed.first(where: { $0.epoch == 24 }))
        let after = try #require(closed.first(where: { $0.epoch == 25 }))
        // Weights 1:1 before, 1:3 after, of 1,000,000,000 a epoch.
        #expect(before.pools.first { $0.name == "telemetry" }?.amount == Amount(500_000_000))
        #expect(after.pools.first { $0.name == "telemetry" }?.amount == Amount(750_000_000))
        #expect(after.reward(of: meter.address)?.amount == Amount(750_000_000))

        let (input, again) = try await recomputed(world, after)
        #expect(input.parameters == [ParameterOverride(service: "telemetry", key: "weight", value: "3")])
        #expect(again.root == after.root)
        #expect(again.pools == after.pools)
        // The genesis alone does not reproduce it: the input's record of the change is what does.
        #expect(world.state.engine.close(input).pools != after.pools)
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
    }
}
