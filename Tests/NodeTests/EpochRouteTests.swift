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

@Suite struct EpochRouteTests {
    let payout = "0x00000000000000000000000000000000000000a1"

    /// A world whose meter sent readings through epoch 24 and whose epochs up to 24 closed.
    func closedWorld() async throws -> (NodeWorld, SigningKey, [EpochResult]) {
        let world = try await NodeWorld()
        let meter = SigningKey()
        var onboard = world.onboarding(meter, kind: .meter)
        onboard.onboardDevice.payoutAddress = payout
        onboard.cosignatures = []
        onboard.sign(with: world.alice)
        onboard.cosign(with: meter)
        onboard.cosign(with: world.maker)
        _ = try await world.store.apply(onboard, rules: world.state.rules, nowMs: world.nowMs - 1)
        try await world.app.test(.router) { client in
            for index in 0..<12 {
                let time = world.nowMs + Int64(index) * 300_000
                world.clock.nowMs = time
                let report = world.meterReadings(meter, nonce: UInt64(index + 1), at: time, exportedWh: 1_000_000 + UInt64(index) * 100)
                try await client.execute(
                    uri: "/v1/reports", method: .post, headers: binary, body: protobuf(report.canonicalBytes)
                ) { #expect($0.status == .accepted) }
            }
        }
        world.clock.nowMs = world.nowMs + 3_600_000 + 60_000
        let closed = try await EpochCloser(state: world.state).closeDue()
        return (world, meter, closed)
    }

    @Test func closesEpochsInOrderAndServesManifestsAndProofs() async throws {
        let (world, meter, closed) = try await closedWorld()
        #expect(closed.map(\.epoch) == Array(0...24))
        #expect(try await EpochCloser(state: world.state).closeDue().isEmpty)
        let last = try #require(closed.last)
        #expect(last.emission == Amount(1_000_000_000))
        #expect(last.minted == last.emission)
        #expect(last.reward(of: meter.address)?.amount == Amount(500_000_000))
        #expect(last.reward(of: meter.address)?.counted == 12)

        try await world.app.test(.router) { client in
            try await client.execute(uri: "/v1/epochs/24", method: .get) { response in
                #expect(response.status == .ok)
                let json = try object(response.body)
                #expect(json["root"] as? String == last.root)
                #expect(json["minted"] as? String == "1000000000")
                #expect(json["burned"] as? String == "0")
                #expect(json["final"] as? Bool == false)
                #expect(json["circulating_supply"] as? String == "25005000000")
            }
            try await client.execute(uri: "/v1/epochs/24/manifest", method: .get) { response in
                let json = try object(response.body)
                let entries = try #require(json["entries"] as? [[String: Any]])
                #expect(entries.count == 1)
                #expect(entries.first?["address"] as? String == payout)
                #expect(entries.first?["cumulative"] as? String == "500000000")
            }
            try await client.execute(uri: "/v1/epochs/24/proofs/\(payout)", method: .get) { response in
                let json = try object(response.body)
                let leaf = StandardMerkleTree.Leaf(address: try EVMAddress(parsing: payout), amount: Amount(500_000_000))
                let proof = (json["proof"] as? [String] ?? []).compactMap { Data(hex: $0) }
                let root = try #require(Data(hex: json["root"] as? String ?? ""))
                #expect(StandardMerkleTree.verify(leaf: leaf, proof: proof, root: root))
            }
            try await client.execute(uri: "/v1/epochs/24/proofs/0x\(String(repeating: "0", count: 40))", method: .get) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/v1/epochs/99", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/epochs/x", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/devices/\(meter.address)/rewards?epoch=24", method: .get) { response in
                let list = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
                let first = try #require(list?.first)
                #expect((first["explanation"] as? String)?.contains("12 report(s) counted") == true)
                let reward = try #require(first["reward"] as? [String: Any])
                #expect(reward["amount"] as? String == "500000000")
            }
            // A report for a closed epoch no longer counts.
            let late = world.heartbeat(meter, nonce: 99, at: world.nowMs + 3_000_000)
            try await client.execute(uri: "/v1/reports", method: .post, headers: binary, body: protobuf(late.canonicalBytes)) {
                response in
                #expect(response.status == .conflict)
                let json = try object(response.body)
                #expect(json["error"] as? String == "epoch_closed")
            }
        }
        // The rewards are in the ledger, which still verifies.
        #expect(try await world.store.account(world.state.genesis.treasury.settlementAccount)?.tokens.units ?? 0 >= 500_000_000)
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
    }

    @Test func anEpochBecomesFinalAtQuorum() async throws {
        let (world, _, closed) = try await closedWorld()
        let root = try #require(closed.last?.root)
        let signature = try #require(EpochRootMessage.sign(epoch: 24, root: root, with: world.oracle))
        let stranger = try #require(EpochRootMessage.sign(epoch: 24, root: root, with: SigningKey()))
        let wrongEpoch = try #require(EpochRootMessage.sign(epoch: 23, root: root, with: world.oracle))
        try await world.app.test(.router) { client in
            func post(_ oracle: String, _ signature: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                let body = ByteBuffer(string: "{\"oracle\": \"\(oracle)\", \"signature\": \"\(signature)\"}")
                return try await client.execute(
                    uri: "/v1/epochs/24/signatures", method: .post, headers: [.contentType: "application/json"], body: body
                ) { ($0.status, try object($0.body)) }
            }
            #expect(try await post(SigningKey().address.description, stranger).0 == .forbidden)
            #expect(try await post(world.oracle.address.description, wrongEpoch).0 == .unauthorized)
            let (status, json) = try await post(world.oracle.address.description, signature)
            #expect(status == .ok)
            #expect(json["final"] as? Bool == true)
            try await client.execute(uri: "/v1/epochs/24", method: .get) { response in
                let json = try object(response.body)
                #expect(json["final"] as? Bool == true)
            }
        }
    }

    @Test func theScheduleWaitsForTheGracePeriod() {
        let schedule = EpochSchedule(epochs: .init(lengthSeconds: 100, startTime: 1_000, graceSeconds: 10))
        #expect(schedule.next(lastClosed: nil, nowMs: 1_100_000) == .waitUntil(ms: 1_110_000))
        #expect(schedule.next(lastClosed: nil, nowMs: 1_110_000) == .close(epoch: 0, startMs: 1_000_000, endMs: 1_100_000))
        #expect(schedule.next(lastClosed: 0, nowMs: 1_110_000) == .waitUntil(ms: 1_210_000))
        #expect(schedule.next(lastClosed: 4, nowMs: 9_999_999) == .close(epoch: 5, startMs: 1_500_000, endMs: 1_600_000))
    }
}
