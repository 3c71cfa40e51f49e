import Core
import Foundation

/// The ledger's and the registry's rules: whether a signed transaction may apply to the state a
/// `LedgerView` shows, and what it changes. Pure: no clock, no storage.
public struct TransactionRules: Sendable {
    /// The genesis whose keys, kinds and prices apply.
    public let genesis: Genesis
    /// How old a transaction's timestamp may be when it arrives.
    public var maxAgeSeconds: Int64 = 3_600
    /// Checks that the service modules accept a genesis with changed parameters (the node sets
    /// it; without it a parameter change is checked only as TOML and pool weights).
    public var checkServices: (@Sendable (Genesis) throws -> Void)?

    /// Rules under `genesis`.
    public init(genesis: Genesis) {
        self.genesis = genesis
    }

    /// The credits `tokens` base units buy at `creditsPerToken` (default: the genesis price), floored.
    public func quote(tokens: Amount, creditsPerToken: Amount? = nil) -> Amount {
        let price = (creditsPerToken ?? genesis.creditsPerToken).units
        var scale: UInt128 = 1
        for _ in 0..<genesis.token.decimals { scale *= 10 }
        let product = tokens.units.multipliedFullWidth(by: price)
        guard product.high < scale else { return Amount(.max) }
        return Amount(scale.dividingFullWidth((high: product.high, low: product.low)).quotient)
    }

    /// Checks `transaction` against `view` at `nowMs` and returns what it changes.
    public func evaluate(_ transaction: Transaction, view: any LedgerView, nowMs: Int64) throws -> LedgerChange {
        let signer: PublicKey
        do { signer = try transaction.verifySignature() } catch {
            throw TransactionError(.badSignature, error.message)
        }
        let address = signer.address
        let windowFuture = Int64(genesis.reports.maxFutureSeconds) * 1000
        guard transaction.timestampMs <= nowMs + windowFuture, transaction.timestampMs >= nowMs - maxAgeSeconds * 1000
        else {
            throw TransactionError(.timestampOutOfWindow, "the transaction's timestamp is too far from the node's clock")
        }
        let account = try view.account(address)
        guard transaction.nonce == account.nonce + 1 else {
            throw TransactionError(
                .badNonce, "nonce \(transaction.nonce) is not the next one for this account (\(account.nonce + 1))")
        }
        var change = LedgerChange(kind: .transfer, postings: [], signer: address, nonce: transaction.nonce, devices: [], usage: nil)
        switch transaction.action {
        case .transfer(let transfer)?:
            let amount = try Self.positiveAmount(transfer.amount)
            let recipient: Address
            do { recipient = try Address(parsing: transfer.to) } catch {
                throw TransactionError(.invalidAddress, "recipient: \(error.message)")
            }
            guard recipient != address else { throw TransactionError(.selfTransfer, "an account cannot pay itself") }
            guard account.tokens >= amount else {
                throw TransactionError(
                    .insufficientBalance, "the balance is \(account.tokens) base units, the transfer \(amount)")
            }
            change.postings = [
                Posting(account: address, asset: .token, direction: .debit, amount: amount),
                Posting(account: recipient, asset: .token, direction: .credit, amount: amount),
            ]
        case .burn(let burn)?:
            change.kind = .burn
            let amount = try Self.positiveAmount(burn.amount)
            guard account.tokens >= amount else {
                throw TransactionError(
                    .insufficientBalance, "the balance is \(account.tokens) base units, the burn \(amount)")
            }
            let price = BurnPrice.current(genesis: genesis, latest: try view.latestPrice(), nowMs: nowMs)
            let credits = quote(tokens: amount, creditsPerToken: price.creditsPerToken)
            let minimum = burn.minCredits.isEmpty ? Amount.zero : try Self.amount(burn.minCredits)
            guard credits > .zero else {
                throw TransactionError(.invalidAmount, "\(amount) base units buy less than one credit")
            }
            guard credits >= minimum else {
                throw TransactionError(.quoteBelowMinimum, "the quote is \(credits) credits, below the \(minimum) asked")
            }
            change.postings = [
                Posting(account: address, asset: .token, direction: .debit, amount: amount),
                Posting(account: address, asset: .credit, direction: .credit, amount: credits),
            ]
        case .onboardDevice(let onboard)?:
            change.kind = .onboardDevice
            change.devices = [try onboarding(onboard, in: transaction, owner: address, view: view, nowMs: nowMs)]
            if !onboard.payoutAddress.isEmpty { change.payoutAddress = try Self.payout(onboard.payoutAddress) }
        case .setPayoutAddress(let payout)?:
            change.kind = .setPayoutAddress
            change.payoutAddress = try Self.payout(payout.payoutAddress)
        case .transferDevice(let handover)?:
            change.kind = .transferDevice
            let key = try Self.publicKey(handover.device, "device")
            guard var device = try view.device(key) else {
                throw TransactionError(.unknownDevice, "no device \(key) is registered")
            }
            guard device.owner == address else {
                throw TransactionError(.notOwner, "\(address) does not own device \(key)")
            }
            do { device.owner = try Address(parsing: handover.newOwner) } catch {
                throw TransactionError(.invalidAddress, "new owner: \(error.message)")
            }
            guard device.owner != address else { throw TransactionError(.selfTransfer, "the device is already yours") }
            change.devices = [device]
        case .spendCredits(let spend)?:
            change.kind = .spendCredits
            let usage = try usage(spend, view: view)
            var total = Amount.zero
            for charge in usage.charges {
                do { total = try total.adding(charge.credits) } catch {
                    throw TransactionError(.invalidAmount, error.message)
                }
            }
            guard account.credits >= total else {
                throw TransactionError(.insufficientCredits, "the account holds \(account.credits) credits, the charges \(total)")
            }
            change.postings = [Posting(account: address, asset: .credit, direction: .debit, amount: total)]
            change.usage = usage
        case .assertLocation(let assert)?:
            change.kind = .assertLocation
            let (device, fee) = try relocation(assert, owner: address, view: view, nowMs: nowMs)
            guard account.credits >= fee else {
                throw TransactionError(
                    .insufficientCredits, "asserting a location costs \(fee) credits; the account holds \(account.credits)")
            }
            if fee > .zero { change.postings = [Posting(account: address, asset: .credit, direction: .debit, amount: fee)] }
            change.devices = [device]
        case .submitRenderJob(let job)?:
            change.kind = .submitRenderJob
            let escrow = try renderJob(job, in: transaction)
            guard account.credits >= escrow.credits else {
                throw TransactionError(
                    .insufficientCredits, "the job escrows \(escrow.credits) credits; the account holds \(account.credits)")
            }
            change.postings = [Posting(account: address, asset: .credit, direction: .debit, amount: escrow.credits)]
            change.escrow = escrow
        case .postBounty(let bounty)?:
            change.kind = .postBounty
            let escrow = try self.bounty(bounty, in: transaction)
            guard account.credits >= escrow.credits else {
                throw TransactionError(
                    .insufficientCredits, "the bounty escrows \(escrow.credits) credits; the account holds \(account.credits)")
            }
            change.postings = [Posting(account: address, asset: .credit, direction: .debit, amount: escrow.credits)]
            change.escrow = escrow
        case .grantAccess(let grant)?:
            change.kind = .grantAccess
            change.grant = try self.grant(grant, owner: address, view: view, nowMs: nowMs)
        case .revokeAccess(let revoke)?:
            change.kind = .revokeAccess
            change.revoked = try self.revocation(revoke, owner: address, view: view)
        case .denylistDevice(let denylist)?:
            change.kind = .denylistDevice
            change.governance = try self.denylist(denylist, signer: address, view: view, nowMs: nowMs)
        case .setServiceParameter(let parameter)?:
            change.kind = .setServiceParameter
            change.governance = try self.parameter(parameter, signer: address, view: view, nowMs: nowMs)
        case nil:
            throw TransactionError(.malformed, "the transaction has no action this node knows")
        }
        return change
    }

    private func onboarding(
        _ onboard: OnboardDevice, in transaction: Transaction, owner: Address, view: any LedgerView, nowMs: Int64
    ) throws -> DeviceRecord {
        let deviceKey = try Self.publicKey(onboard.device, "device")
        let maker = try Self.publicKey(onboard.maker, "maker")
        guard genesis.makers.contains(maker) else {
            throw TransactionError(.untrustedMaker, "maker \(maker) is not trusted by this network's genesis")
        }
        guard genesis.deviceKinds.contains(onboard.kind) else {
            throw TransactionError(.kindNotAllowed, "this network runs no service for kind '\(onboard.kind.name)'")
        }
        let signing = transaction.signingBytes
        for (key, role) in [(deviceKey, "device"), (maker, "maker")] {
            guard
                transaction.cosignatures.contains(where: {
                    $0.key == key.rawRepresentation && key.isValidSignature($0.signature, for: signing)
                })
            else {
                throw TransactionError(.missingCosignature, "onboarding needs a valid signature by the \(role) key")
            }
        }
        guard try view.device(deviceKey) == nil else {
            throw TransactionError(.deviceExists, "device \(deviceKey) is already registered")
        }
        var record = DeviceRecord(key: deviceKey, kind: onboard.kind, owner: owner, maker: maker, onboardedMs: nowMs)
        if onboard.hasLocation {
            try Self.place(&record, at: onboard.location, gain: onboard.antennaGainDbi, elevation: onboard.elevationM)
        } else if onboard.kind.needsAssertedLocation {
            throw TransactionError(.locationRequired, "a \(onboard.kind.name) needs an asserted location")
        }
        return record
    }

    /// Checks a spend: a genesis service, 1 to 1000 charges, each to a registered device of a kind
    /// that serves the service, each positive.
    private func usage(_ spend: SpendCredits, view: any LedgerView) throws -> UsageRecord {
        guard let service = genesis.services.first(where: { $0.name == spend.service }) else {
            throw TransactionError(.unknownService, "this network runs no service '\(spend.service)'")
        }
        guard (1...1_000).contains(spend.charges.count) else {
            throw TransactionError(.malformed, "a spend names 1 to 1000 devices")
        }
        var charges: [(device: PublicKey, credits: Amount)] = []
        for charge in spend.charges {
            let key = try Self.publicKey(charge.device, "device")
            guard let device = try view.device(key) else {
                throw TransactionError(.unknownDevice, "no device \(key) is registered")
            }
            guard service.kinds.contains(device.kind) else {
                throw TransactionError(.kindNotAllowed, "a \(device.kind.name) does not serve \(service.name)")
            }
            charges.append((key, try Self.positiveAmount(charge.credits)))
        }
        return UsageRecord(service: service.name, charges: charges)
    }

    static func payout(_ text: String) throws(TransactionError) -> EVMAddress {
        do { return try EVMAddress(parsing: text) } catch {
            throw TransactionError(.invalidPayoutAddress, error.description)
        }
    }

    static func amount(_ text: String) throws(TransactionError) -> Amount {
        do { return try Amount(parsing: text) } catch { throw TransactionError(.invalidAmount, error.message) }
    }

    static func positiveAmount(_ text: String) throws(TransactionError) -> Amount {
        let amount = try amount(text)
        guard amount > .zero else { throw TransactionError(.invalidAmount, "the amount must be more than zero") }
        return amount
    }

    static func publicKey(_ bytes: Data, _ role: String) throws(TransactionError) -> PublicKey {
        do { return try PublicKey(rawRepresentation: bytes) } catch {
            throw TransactionError(.malformed, "\(role): \(error.message)")
        }
    }
}
