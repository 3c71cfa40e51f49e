import Core
import Foundation
import Ledger
import Testing

@Suite struct TransactionRulesTests {
    let world = LedgerFixtures()

    var view: MemoryLedgerView {
        MemoryLedgerView(accounts: [world.alice.address: AccountState(address: world.alice.address, tokens: Amount(5_000_000))])
    }

    func code(_ transaction: Transaction, view: MemoryLedgerView? = nil) -> TransactionError.Code? {
        do {
            _ = try TransactionRules(genesis: world.genesis).evaluate(
                transaction, view: view ?? self.view, nowMs: world.nowMs)
            return nil
        } catch let error as TransactionError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func transferMovesTokens() throws {
        let transaction = world.transaction(by: world.alice) {
            $0.transfer.to = world.bob.address.description
            $0.transfer.amount = "1500000"
        }
        let change = try TransactionRules(genesis: world.genesis).evaluate(transaction, view: view, nowMs: world.nowMs)
        #expect(change.nonce == 1)
        #expect(change.postings.count == 2)
        #expect(change.postings[0] == Posting(account: world.alice.address, asset: .token, direction: .debit, amount: Amount(1_500_000)))
        #expect(change.postings[1] == Posting(account: world.bob.address, asset: .token, direction: .credit, amount: Amount(1_500_000)))
    }

    @Test(arguments: [
        ("5000001", TransactionError.Code.insufficientBalance), ("-5", .invalidAmount), ("0", .invalidAmount),
        ("340282366920938463463374607431768211456", .invalidAmount), ("12abc", .invalidAmount),
    ])
    func refusesBadTransferAmounts(_ amount: String, _ expected: TransactionError.Code) {
        let transaction = world.transaction(by: world.alice) {
            $0.transfer.to = world.bob.address.description
            $0.transfer.amount = amount
        }
        #expect(code(transaction) == expected)
    }

    @Test func refusesBadEnvelopes() {
        var forged = world.transaction(by: world.alice) {
            $0.transfer.to = world.bob.address.description
            $0.transfer.amount = "1"
        }
        forged.transfer.amount = "2"
        #expect(code(forged) == .badSignature)
        let replayed = world.transaction(by: world.alice, nonce: 2) {
            $0.transfer.to = world.bob.address.description
            $0.transfer.amount = "1"
        }
        #expect(code(replayed) == .badNonce)
        let toNowhere = world.transaction(by: world.alice) {
            $0.transfer.to = "depin1notanaddress"
            $0.transfer.amount = "1"
        }
        #expect(code(toNowhere) == .invalidAddress)
        let toSelf = world.transaction(by: world.alice) {
            $0.transfer.to = world.alice.address.description
            $0.transfer.amount = "1"
        }
        #expect(code(toSelf) == .selfTransfer)
        var stale = world.transaction(by: world.alice) {
            $0.transfer.to = world.bob.address.description
            $0.transfer.amount = "1"
        }
        stale.timestampMs = world.nowMs - 2 * 3_600_000
        stale.sign(with: world.alice)
        #expect(code(stale) == .timestampOutOfWindow)
        let empty = world.transaction(by: world.alice) { _ in }
        #expect(code(empty) == .malformed)
    }

    @Test func burnQuotesCreditsWithFloorDivision() throws {
        let rules = TransactionRules(genesis: world.genesis)
        // 100 000 credits per whole token at 6 decimals: 10 base units make one credit.
        #expect(rules.quote(tokens: Amount(1_000_000)) == Amount(100_000))
        #expect(rules.quote(tokens: Amount(19)) == Amount(1))
        let burn = world.transaction(by: world.alice) { $0.burn.amount = "1000000" }
        let change = try rules.evaluate(burn, view: view, nowMs: world.nowMs)
        #expect(change.postings.last == Posting(account: world.alice.address, asset: .credit, direction: .credit, amount: Amount(100_000)))
        let dust = world.transaction(by: world.alice) { $0.burn.amount = "9" }
        #expect(code(dust) == .invalidAmount)
        let greedy = world.transaction(by: world.alice) {
            $0.burn.amount = "1000000"
            $0.burn.minCredits = "100001"
        }
        #expect(code(greedy) == .quoteBelowMinimum)
    }

    func onboarding(kind: DeviceKind = .hotspot, maker: SigningKey? = nil, cosign: Bool = true, location: Bool = true)
        -> (Transaction, SigningKey)
    {
        let device = SigningKey()
        let makerKey = maker ?? world.maker
        var transaction = world.transaction(by: world.alice) {
            $0.onboardDevice.device = device.publicKey.rawRepresentation
            $0.onboardDevice.kind = kind
            $0.onboardDevice.maker = makerKey.publicKey.rawRepresentation
            if location {
                $0.onboardDevice.location.lat = 52.52
                $0.onboardDevice.location.lng = 13.405
            }
        }
        if cosign {
            transaction.cosign(with: device)
            transaction.cosign(with: makerKey)
        }
        return (transaction, device)
    }

    @Test func onboardingNeedsThreeSignaturesAndAServedKind() throws {
        let (good, device) = onboarding()
        let change = try TransactionRules(genesis: world.genesis).evaluate(good, view: view, nowMs: world.nowMs)
        #expect(change.devices.first?.key == device.publicKey)
        #expect(change.devices.first?.owner == world.alice.address)
        #expect(code(onboarding(cosign: false).0) == .missingCosignature)
        #expect(code(onboarding(maker: SigningKey()).0) == .untrustedMaker)
        #expect(code(onboarding(kind: .renderNode).0) == .kindNotAllowed)
        #expect(code(onboarding(location: false).0) == .locationRequired)
        #expect(code(onboarding(kind: .meter, location: false).0) == nil)
        var taken = view
        taken.devices[device.publicKey] = change.devices[0]
        #expect(code(good, view: taken) == .deviceExists)
    }

    @Test func onlyTheOwnerHandsADeviceOver() throws {
        let device = SigningKey()
        var world = view
        world.devices[device.publicKey] = DeviceRecord(
            key: device.publicKey, kind: .meter, owner: self.world.bob.address, maker: self.world.maker.publicKey,
            onboardedMs: 0)
        let handover = self.world.transaction(by: self.world.alice) {
            $0.transferDevice.device = device.publicKey.rawRepresentation
            $0.transferDevice.newOwner = self.world.alice.address.description
        }
        #expect(code(handover, view: world) == .notOwner)
        let unknown = self.world.transaction(by: self.world.alice) {
            $0.transferDevice.device = SigningKey().publicKey.rawRepresentation
            $0.transferDevice.newOwner = self.world.bob.address.description
        }
        #expect(code(unknown, view: world) == .unknownDevice)
    }
}
