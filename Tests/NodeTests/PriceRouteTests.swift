import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import NIOCore
import Store
import Testing

@Suite struct PriceRouteTests {
    func quote(_ price: String, at ms: Int64, by key: SigningKey) -> Data {
        var quote = PriceQuote()
        quote.creditsPerToken = price
        quote.timestampMs = ms
        quote.sign(with: key)
        return quote.canonicalBytes
    }

    @Test func anOraclesFreshPriceSetsTheBurnQuote() async throws {
        let world = try await NodeWorld()
        try await world.app.test(.router) { client in
            func post(_ body: Data) async throws -> (HTTPResponse.Status, String?) {
                try await client.execute(uri: "/v1/credits/price", method: .post, headers: binary, body: protobuf(body)) {
                    ($0.status, try object($0.body)["error"] as? String)
                }
            }
            func quoted() async throws -> [String: Any] {
                try await client.execute(uri: "/v1/credits/quote?tokens=1000000", method: .get) { try object($0.body) }
            }
            #expect(try await quoted()["price_source"] as? String == "genesis")
            #expect(try await post(quote("250000", at: world.nowMs, by: SigningKey())) == (.forbidden, "unknown_oracle"))
            #expect(try await post(quote("0", at: world.nowMs, by: world.oracle)).1 == "invalid_amount")
            #expect(
                try await post(quote("250000", at: world.nowMs - 3_601_000, by: world.oracle)).1 == "timestamp_out_of_window")
            var forged = try PriceQuote(wireBytes: quote("250000", at: world.nowMs, by: world.oracle))
            forged.creditsPerToken = "999999"
            #expect(try await post(forged.canonicalBytes).0 == .unauthorized)
            #expect(try await post(quote("250000", at: world.nowMs, by: world.oracle)).0 == .ok)
            #expect(try await post(quote("260000", at: world.nowMs - 1, by: world.oracle)) == (.conflict, "stale_price"))
            let fresh = try await quoted()
            #expect(fresh["price_source"] as? String == "oracle")
            #expect(fresh["credits"] as? String == "250000")

            // A burn is priced at the oracle's quote.
            var burn = Transaction()
            burn.nonce = 1
            burn.timestampMs = world.nowMs
            burn.burn.amount = "2000000"
            burn.sign(with: world.alice)
            try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(burn.canonicalBytes)) {
                #expect($0.status == .ok)
            }
            // Once the quote is older than the genesis allows, the genesis price is back.
            world.clock.nowMs = world.nowMs + 3_601_000
            #expect(try await quoted()["price_source"] as? String == "genesis")
        }
        #expect(try await world.store.account(world.alice.address)?.credits == Amount(500_000))
    }
}
