import Core
import Foundation
import Ledger
import Node
import Store
import Testing

/// Storage billing: byte-months and egress at the genesis prices, fractions carried exactly,
/// credits taken with a journal entry that replays, what was taken split among storage nodes by
/// bytes held and bytes served, and an account that cannot pay left owing.
@Suite struct StorageBillingTests {
    static let day: Int64 = 86_400_000
    static let gigabyte: Int64 = 1_000_000_000

    func setUp(credits: String) async throws -> (NodeWorld, Address, Address) {
        let world = try await NodeWorld(storage: true)
        let burn = world.transaction(by: world.alice, nonce: 1) { $0.burn.amount = credits }
        _ = try await world.store.apply(burn, rules: world.state.rules, nowMs: world.nowMs)
        let (a, b) = (SigningKey().address, SigningKey().address)
        let store = world.store
        try await store.createAccessKey(
            AccessKey(id: "K", secret: "s", account: world.alice.address, createdMs: world.nowMs), requestMs: world.nowMs,
            request: Data("signed consent".utf8))
        try await store.createBucket(BucketRecord(name: "media", owner: world.alice.address, createdMs: world.nowMs))
        // One gigabyte, kept as pieces of 600 MB on a and 400 MB on b.
        let blob = try await store.addBlob(
            BlobRecord(
                k: 1, n: 2, size: Self.gigabyte, segmentBytes: Int(Self.gigabyte),
                segments: [
                    .init(
                        length: Int(Self.gigabyte),
                        pieces: [
                            PiecePlacement(index: 0, pieceID: "p0", node: a, url: "http://a", root: "00", bytes: 600_000_000),
                            PiecePlacement(index: 1, pieceID: "p1", node: b, url: "http://b", root: "00", bytes: 400_000_000),
                        ])
                ]), nowMs: world.nowMs)
        _ = try await store.putObject(
            ObjectRecord(
                bucket: "media", key: "big", size: Self.gigabyte, etag: "e", contentType: "x", metadata: [:], createdMs: world.nowMs,
                parts: [.init(blob: blob, size: Self.gigabyte)]))
        return (world, a, b)
    }

    func charge(_ world: NodeWorld, at ms: Int64, excluded: Set<Address> = []) async throws -> StorageBill {
        try await world.store.chargeStorage(
            nowMs: ms, epoch: 7, service: "storage", creditsPerGBMonth: 400, creditsPerGBEgress: 700, excluded: excluded)
    }

    @Test func aGigabyteMonthCostsItsPriceToTheCreditAndPaysTheNodes() async throws {
        let (world, a, b) = try await setUp(credits: "100000")
        let before = try #require(try await world.store.account(world.alice.address)).credits
        #expect(try await charge(world, at: world.nowMs).charges.isEmpty, "the first pass starts the clock")
        // One day, then 29: 13.33… credits, then 386.66…: 13 and 387, exactly 400 in all.
        let first = try await charge(world, at: world.nowMs + Self.day)
        #expect(first.charges.map(\.paid) == [Amount(13)])
        let month = try await charge(world, at: world.nowMs + 30 * Self.day)
        #expect(month.charges.map(\.paid) == [Amount(387)])
        #expect(month.earned[a] == Amount(233) && month.earned[b] == Amount(154), "\(month.earned)")
        // A gigabyte downloaded, served 3 to 2 by a and b: 700 credits, split 420 and 280.
        try await world.store.recordEgress(account: world.alice.address, bytes: Self.gigabyte, served: [a: 300, b: 200])
        let egress = try await charge(world, at: world.nowMs + 30 * Self.day)
        #expect(egress.charges.first?.paid == Amount(700) && egress.earned == [a: Amount(420), b: Amount(280)], "\(egress)")
        let after = try #require(try await world.store.account(world.alice.address)).credits
        #expect(try before.subtracting(after) == Amount(1_100))
        let standing = try await world.store.storageAccount(world.alice.address)
        #expect(standing.paid == Amount(1_100) && standing.unpaid == .zero && standing.storedBytes == Self.gigabyte && standing.objects == 1)
        #expect(try await world.store.verifyLedger(rules: world.state.rules).problems.isEmpty)
        // A disqualified node earns nothing.
        let excluded = try await charge(world, at: world.nowMs + 60 * Self.day, excluded: [b])
        #expect(excluded.earned == [a: Amount(400)], "\(excluded.earned)")
    }

    @Test func anAccountThatCannotPayIsLeftOwing() async throws {
        let (world, _, _) = try await setUp(credits: "1000")
        let credits = try #require(try await world.store.account(world.alice.address)).credits
        _ = try await charge(world, at: world.nowMs)
        let bill = try await charge(world, at: world.nowMs + 30 * Self.day)
        let charge = try #require(bill.charges.first)
        let owing = try Amount(400).subtracting(credits)
        #expect(charge.paid == credits && charge.unpaid == owing)
        #expect(try await world.store.account(world.alice.address)?.credits == .zero)
        #expect(try await world.store.storageAccount(world.alice.address).unpaid == charge.unpaid)
        #expect(try await world.store.unpaidStorageCredits(world.alice.address) == charge.unpaid)
        #expect(try await world.store.verifyLedger(rules: world.state.rules).problems.isEmpty)
    }
}
