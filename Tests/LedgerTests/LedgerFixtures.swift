import Core
import Foundation
import Ledger

/// A small world for ledger tests: keys, a genesis, and an in-memory view.
struct LedgerFixtures {
    let alice = SigningKey()
    let bob = SigningKey()
    let maker = SigningKey()
    let oracle = SigningKey()
    let treasury = SigningKey()
    let nowMs: Int64 = 1_767_225_600_000

    var genesis: Genesis {
        Genesis(
            token: .init(name: "Test Token", symbol: "TST", decimals: 6, supplyCap: Amount(10_000_000_000_000)),
            emission: .init(perEpoch: Amount(1_000_000_000), decay: .halving(epochs: 730)),
            epochs: .init(lengthSeconds: 86_400, startTime: 1_767_225_600 - 86_400),
            creditsPerToken: Amount(100_000),
            services: [
                .init(name: "coverage", weight: 60, kinds: [.hotspot], parameters: TOMLTable()),
                .init(name: "telemetry", weight: 30, kinds: [.vehicle, .meter], parameters: TOMLTable()),
            ],
            treasury: .init(weight: 10, account: treasury.address, emptyPools: .treasury),
            reports: .init(maxFutureSeconds: 300, maxAgeSeconds: 3_600),
            oracles: [oracle.publicKey], quorum: 1, makers: [maker.publicKey],
            allocations: [.init(account: alice.address, amount: Amount(5_000_000))])
    }

    func transaction(
        by key: SigningKey, nonce: UInt64 = 1, _ build: (inout Transaction) -> Void
    ) -> Transaction {
        var transaction = Transaction()
        transaction.nonce = nonce
        transaction.timestampMs = nowMs
        build(&transaction)
        transaction.sign(with: key)
        return transaction
    }
}

/// A `LedgerView` over dictionaries.
struct MemoryLedgerView: LedgerView {
    var accounts: [Address: AccountState] = [:]
    var devices: [PublicKey: DeviceRecord] = [:]

    func account(_ address: Address) throws -> AccountState { accounts[address] ?? AccountState(address: address) }
    func device(_ key: PublicKey) throws -> DeviceRecord? { devices[key] }
}
