import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import Rewards
import NIOCore
import Store
import SwiftProtobuf
import Testing

@Suite struct LedgerRouteTests {
    func post(_ client: some TestClientProtocol, _ transaction: Transaction) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(
            uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(transaction.canonicalBytes)
        ) { response in (response.status, try object(response.body)) }
    }

    @Test func transfersBurnsAndDevicesThroughTheAPI() async throws {
        let world = try await NodeWorld()
        let hotspot = SigningKey()
        try await world.app.test(.router) { client in
            let send = world.transaction(by: world.alice, nonce: 1) {
                $0.transfer.to = world.bob.address.description
                $0.transfer.amount = "1000000"
            }
            let (status, entry) = try await post(client, send)
            #expect(status == .ok)
            #expect(entry["sequence"] as? Int == 2)
            let burn = world.transaction(by: world.alice, nonce: 2) { $0.burn.amount = "1000000" }
            #expect(try await post(client, burn).0 == .ok)
            #expect(try await post(client, world.onboarding(hotspot, nonce: 3)).0 == .ok)
            let handover = world.transaction(by: world.alice, nonce: 4) {
                $0.transferDevice.device = hotspot.publicKey.rawRepresentation
                $0.transferDevice.newOwner = world.bob.address.description
            }
            #expect(try await post(client, handover).0 == .ok)

            try await client.execute(uri: "/v1/accounts/\(world.alice.address)", method: .get) { response in
                let json = try object(response.body)
                #expect(json["tokens"] as? String == "3000000")
                #expect(json["credits"] as? String == "100000")
                #expect(json["nonce"] as? Int == 4)
            }
            try await client.execute(uri: "/v1/devices/\(hotspot.address)", method: .get) { response in
                let json = try object(response.body)
                #expect(json["owner"] as? String == world.bob.address.description)
                #expect(json["kind"] as? String == "hotspot")
            }
            try await client.execute(uri: "/v1/accounts/\(world.bob.address)/devices", method: .get) { response in
                let list = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [Any]
                #expect(list?.count == 1)
            }
            try await client.execute(uri: "/v1/journal?from=2&limit=2", method: .get) { response in
                let list = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
                #expect(list?.map { $0["kind"] as? String } == ["transfer", "burn"])
            }
            try await client.execute(uri: "/v1/credits/quote?tokens=2500000", method: .get) { response in
                let json = try object(response.body)
                #expect(json["credits"] as? String == "250000")
            }
            try await client.execute(uri: "/v1/ledger/verify", method: .get) { response in
                #expect(response.status == .ok)
                let json = try object(response.body)
                #expect(json["entries"] as? Int == 5)
            }
        }
    }

    @Test func badTransactionsGetACodeAndChangeNothing() async throws {
        let world = try await NodeWorld()
        let before = try await world.store.counts()
        let cases: [(Transaction, HTTPResponse.Status, String)] = [
            (world.transaction(by: world.alice, nonce: 1) {
                $0.transfer.to = world.bob.address.description
                $0.transfer.amount = "-5"
            }, .unprocessableContent, "invalid_amount"),
            (world.transaction(by: world.alice, nonce: 1) {
                $0.transfer.to = world.bob.address.description
                $0.transfer.amount = "340282366920938463463374607431768211456"
            }, .unprocessableContent, "invalid_amount"),
            (world.transaction(by: world.alice, nonce: 1) {
                $0.transfer.to = world.bob.address.description
                $0.transfer.amount = "5000001"
            }, .unprocessableContent, "insufficient_balance"),
            (world.transaction(by: world.alice, nonce: 1) {
                $0.transfer.to = "depin1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
                $0.transfer.amount = "1"
            }, .badRequest, "invalid_address"),
            (world.transaction(by: world.alice, nonce: 7) {
                $0.transfer.to = world.bob.address.description
                $0.transfer.amount = "1"
            }, .conflict, "bad_nonce"),
            (world.transaction(by: world.bob, nonce: 1) {
                $0.transfer.to = world.alice.address.description
                $0.transfer.amount = "1"
            }, .unprocessableContent, "insufficient_balance"),
        ]
        var forged = world.transaction(by: world.alice, nonce: 1) {
            $0.transfer.to = world.bob.address.description
            $0.transfer.amount = "1"
        }
        forged.transfer.amount = "2"
        let allCases = cases + [(forged, .unauthorized, "bad_signature")]
        try await world.app.test(.router) { client in
            for (transaction, status, code) in allCases {
                let (gotStatus, body) = try await post(client, transaction)
                #expect(gotStatus == status, "\(code)")
                #expect(body["error"] as? String == code)
            }
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary, body: ByteBuffer(bytes: [0x0a, 0x05, 0x01])
            ) { response in
                #expect(response.status == .badRequest)
                let json = try object(response.body)
                #expect(json["error"] as? String == "malformed_transaction")
            }
            try await client.execute(uri: "/v1/accounts/\(SigningKey().address)", method: .get) { response in
                #expect(response.status == .notFound)
                let json = try object(response.body)
                #expect(json["error"] as? String == "account_not_found")
            }
            try await client.execute(uri: "/v1/accounts/depin1garbage", method: .get) { response in
                #expect(response.status == .badRequest)
                let json = try object(response.body)
                #expect(json["error"] as? String == "invalid_address")
            }
            try await client.execute(uri: "/v1/devices/\(SigningKey().address)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/credits/quote?tokens=-1", method: .get) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
        #expect(try await world.store.counts() == before)
        #expect(try await world.store.account(world.alice.address)?.tokens == Amount(5_000_000))
        #expect(try await world.store.account(world.alice.address)?.nonce == 0)
    }
}

extension LedgerRouteTests {
    @Test func spendingCreditsPaysDevicesThroughTheEpoch() async throws {
        let world = try await NodeWorld()
        let hotspot = SigningKey()
        try await world.app.test(.router) { client in
            #expect(try await post(client, world.onboarding(hotspot, nonce: 1)).0 == .ok)
            #expect(try await post(client, world.transaction(by: world.alice, nonce: 2) { $0.burn.amount = "1000000" }).0 == .ok)
            func spend(_ nonce: UInt64, service: String, credits: String) -> Transaction {
                world.transaction(by: world.alice, nonce: nonce) {
                    $0.spendCredits.service = service
                    var charge = UsageCharge()
                    charge.device = hotspot.publicKey.rawRepresentation
                    charge.credits = credits
                    $0.spendCredits.charges = [charge]
                }
            }
            let broke = try await post(client, spend(3, service: "coverage", credits: "100001"))
            #expect(broke.1["error"] as? String == "insufficient_credits")
            let unknown = try await post(client, spend(3, service: "weather", credits: "1"))
            #expect(unknown.1["error"] as? String == "unknown_service")
            let wrongKind = try await post(client, spend(3, service: "telemetry", credits: "1"))
            #expect(wrongKind.1["error"] as? String == "kind_not_allowed")
            #expect(try await post(client, spend(3, service: "coverage", credits: "2500")).0 == .ok)
        }
        #expect(try await world.store.account(world.alice.address)?.credits == Amount(97_500))
        let epochs = world.state.genesis.epochs
        let epoch = epochs.epoch(ofMs: world.nowMs)
        let input = try await world.store.epochInput(epoch: epoch, startMs: epochs.startMs(of: epoch), endMs: epochs.endMs(of: epoch))
        #expect(input.usage == [hotspot.address.description: Amount(2_500)])
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
    }
}
