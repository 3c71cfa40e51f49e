import Core
import Foundation
import Ledger

/// Turns an epoch's input into its result: emission, pools, device rewards, mints and the
/// settlement manifest. A pure function of the genesis and the input, so every oracle that
/// runs it on the same input gets the same root, bit for bit.
public struct EpochEngine: Sendable {
    /// The genesis.
    public let genesis: Genesis
    /// The service modules, by genesis service name; a service without one is paid by uptime.
    public let services: [String: any NetworkService]
    /// For each report type, the services that take it, in name order, with the kinds they take
    /// it from: `validate` runs for every report at ingest.
    private let validators: [String: [(kinds: Set<DeviceKind>, service: any NetworkService)]]

    /// An engine for `genesis` with the given service modules.
    public init(genesis: Genesis, services: [String: any NetworkService] = [:]) {
        self.genesis = genesis
        var all = services
        for service in genesis.services where all[service.name] == nil {
            all[service.name] = UptimeService(service: service)
        }
        self.services = all
        var validators: [String: [(kinds: Set<DeviceKind>, service: any NetworkService)]] = [:]
        for name in all.keys.sorted() {
            guard let service = all[name] else { continue }
            for (type, kinds) in service.reportTypes { validators[type, default: []].append((kinds, service)) }
        }
        self.validators = validators
    }

    /// Report types and the kinds that may send each, over every service.
    public var reportTypes: [String: Set<DeviceKind>] {
        var types: [String: Set<DeviceKind>] = [:]
        for service in services.values {
            for (type, kinds) in service.reportTypes { types[type, default: []].formUnion(kinds) }
        }
        return types
    }

    /// The first ingest-time refusal of `report` from a device of `kind` by a service that takes
    /// its type from that kind, or nil when every such service accepts it.
    public func validate(_ report: Report, kind: DeviceKind) -> String? {
        guard let type = report.typeName else { return "unknown_report_type" }
        for (kinds, service) in validators[type] ?? [] where kinds.contains(kind) {
            if let reason = service.validate(report, kind: kind) { return reason }
        }
        return nil
    }

    /// Closes the epoch described by `input`, checking every report's signature: how an oracle
    /// recomputes an epoch from inputs it did not collect itself.
    public func close(_ input: EpochInput) -> EpochResult {
        close(input, reports: reports(of: input, checkingSignatures: true))
    }

    /// Closes the epoch from the node's own report log. Every report there passed its signature
    /// check as it arrived, so it is grouped by the key it names without checking again (ten
    /// million reports are minutes of Ed25519 on two cores); otherwise the same as `close(_:)`.
    /// For a log whose reports all verify, the result is the same bit for bit.
    public func closeAccepted(_ input: EpochInput) -> EpochResult {
        close(input, reports: reports(of: input, checkingSignatures: false))
    }

    /// Closes the epoch described by `input` with its reports already verified and grouped by
    /// device, in log order (`input.reports` is not read): the same arithmetic as `close(_:)`
    /// for a caller that made the reports itself, such as a simulator of millions of devices,
    /// which has no signatures to check.
    public func close(_ input: EpochInput, verified all: [Address: [Report]]) -> EpochResult {
        close(input, reports: DeviceReports(all))
    }

    /// Closes the epoch described by `input` with its reports grouped by device
    /// (`EpochReportGrouping`, or a caller's own): what every other close comes to.
    public func close(_ input: EpochInput, reports all: DeviceReports) -> EpochResult {
        // Denylisted devices are out of every service's epoch; their reports are counted as
        // rejected for their explanations, and they earn nothing.
        var reports = all
        var denied: [Address: Int] = [:]
        for device in input.denylist {
            denied[device] = reports.remove(device)?.count ?? 0
        }
        let emission = EmissionSchedule(genesis: genesis).emission(epoch: input.epoch, mintedBefore: input.emittedBefore)
        let weights = genesis.services.map { UInt128($0.weight) } + [UInt128(genesis.treasury.weight)]
        let (parts, splitRemainder) = ProRataSplit.split(emission, weights: weights)
        var refused: [Address: [String: Int]] = [:]
        for (device, reasons) in input.refused {
            if let address = try? Address(parsing: device) { refused[address] = reasons }
        }
        var states: [String: Data] = [:]
        var refunds: [CreditRefund] = []

        var pools: [EpochResult.Pool] = []
        var rewards: [Address: EpochResult.DeviceReward] = [:]
        rewards.reserveCapacity(input.devices.count)
        var treasuryTotal = (try? parts[parts.count - 1].adding(splitRemainder)) ?? .zero
        var carryForward: [String: Amount] = [:]
        var carriedIn = Amount.zero

        for (index, service) in genesis.services.enumerated() {
            let carried = input.carried[service.name] ?? .zero
            carriedIn = (try? carriedIn.adding(carried)) ?? carriedIn
            let poolAmount = (try? parts[index].adding(carried)) ?? parts[index]
            let kindNames = Set(service.kinds.map(\.name))
            let devices = input.devices.filter { kindNames.contains($0.kind) && denied[$0.id] == nil }
            let module = services[service.name] ?? UptimeService(service: service)
            let serviceEpoch = ServiceEpoch(
                epoch: input.epoch, startMs: input.startMs, endMs: input.endMs, devices: devices, reports: reports,
                paid: input.usage, state: input.states[service.name].flatMap { Data(base64Encoded: $0) } ?? Data(),
                refused: refused, bounties: input.bounties.filter { $0.service == service.name })
            let outcome = module.close(serviceEpoch)
            let scores = outcome.scores
            // By address once, rather than a bech32 encoding per device and look-up.
            var usage: [Address: Amount] = [:]
            for (key, credits) in outcome.usage {
                if let address = try? Address(parsing: key), address.description == key { usage[address] = credits }
            }
            if !outcome.state.isEmpty { states[service.name] = outcome.state }
            refunds += outcome.refunds
            var pool = EpochResult.Pool(
                name: service.name, weight: service.weight, amount: poolAmount, paid: .zero, remainder: .zero,
                carried: .zero, toTreasury: .zero)
            let payouts = splitPool(poolAmount, service: service, devices: devices, scores: scores, usage: usage)
            if payouts.isEmpty {
                switch genesis.treasury.emptyPools {
                case .carry:
                    pool.carried = poolAmount
                    if poolAmount > .zero { carryForward[service.name] = poolAmount }
                case .treasury:
                    pool.toTreasury = poolAmount
                    treasuryTotal = (try? treasuryTotal.adding(poolAmount)) ?? treasuryTotal
                }
            }
            var paid = Amount.zero
            let totalShares = scores.values.reduce(UInt128(0)) { $0 &+ $1.shares }
            for device in devices {
                let score = scores[device.id] ?? ServiceScore(shares: 0, counted: 0)
                let amount = payouts.amounts[device.id] ?? .zero
                // Every device that sent reports gets an explanation, earning or not.
                guard amount > .zero || score.counted > 0 || !score.rejected.isEmpty || usage[device.id] != nil
                else { continue }
                paid = (try? paid.adding(amount)) ?? paid
                rewards[device.id] = EpochResult.DeviceReward(
                    device: device.id, owner: device.owner, payout: device.payout, service: service.name,
                    counted: score.counted, rejected: score.rejected, shares: String(score.shares),
                    poolShares: String(totalShares), multiplier: score.multiplier,
                    usageCredits: usage[device.id] ?? .zero, amount: amount)
            }
            if !payouts.isEmpty {
                pool.paid = paid
                pool.remainder = (try? poolAmount.subtracting(paid)) ?? .zero
                treasuryTotal = (try? treasuryTotal.adding(pool.remainder)) ?? treasuryTotal
            }
            pools.append(pool)
        }
        for device in input.devices where (denied[device.id] ?? 0) > 0 && rewards[device.id] == nil {
            let service = genesis.services.first { $0.kinds.contains { $0.name == device.kind } }?.name ?? ""
            rewards[device.id] = EpochResult.DeviceReward(
                device: device.id, owner: device.owner, payout: device.payout, service: service, counted: 0,
                rejected: ["denylisted": denied[device.id]!], shares: "0", poolShares: "0", multiplier: "0",
                usageCredits: .zero, amount: .zero)
        }
        pools.append(
            EpochResult.Pool(
                name: "treasury", weight: genesis.treasury.weight, amount: parts[parts.count - 1], paid: .zero,
                remainder: splitRemainder, carried: .zero, toTreasury: .zero))

        // In address order. The registry usually comes sorted (the store reads it so), and then
        // its order is the rewards' own; otherwise sort the addresses, not the rewards: moving a
        // million explanations costs more than looking them up.
        let registryIsSorted = zip(input.devices, input.devices.dropFirst()).allSatisfy { $0.id < $1.id }
        let deviceRewards =
            registryIsSorted
            ? input.devices.compactMap { rewards[$0.id] } : rewards.keys.sorted().map { rewards[$0]! }
        var mints: [Address: Amount] = [:]
        var payoutTotals: [EVMAddress: Amount] = [:]
        for reward in deviceRewards where reward.amount > .zero {
            let account = reward.payout == nil ? reward.owner : genesis.treasury.settlementAccount
            mints[account] = (try? (mints[account] ?? .zero).adding(reward.amount)) ?? reward.amount
            if let payout = reward.payout {
                payoutTotals[payout] = (try? (payoutTotals[payout] ?? .zero).adding(reward.amount)) ?? reward.amount
            }
        }
        if treasuryTotal > .zero {
            let account = genesis.treasury.account
            mints[account] = (try? (mints[account] ?? .zero).adding(treasuryTotal)) ?? treasuryTotal
        }
        let mintLines = mints.map { EpochResult.Mint(account: $0.key, amount: $0.value) }.sorted { $0.account < $1.account }
        let minted = mintLines.reduce(Amount.zero) { (try? $0.adding($1.amount)) ?? $0 }

        var cumulative: [EVMAddress: Amount] = [:]
        cumulative.reserveCapacity(input.previousCumulative.count + payoutTotals.count)
        for (key, amount) in input.previousCumulative {
            guard let address = try? EVMAddress(parsing: key) else { continue }
            cumulative[address] = (try? (cumulative[address] ?? .zero).adding(amount)) ?? amount
        }
        for (address, amount) in payoutTotals {
            cumulative[address] = (try? (cumulative[address] ?? .zero).adding(amount)) ?? amount
        }
        let manifest = ManifestOrder.sorted(
            cumulative.map { EpochResult.ManifestEntry(address: $0.key, cumulative: $0.value) })
        let tree = StandardMerkleTree(leaves: manifest.map { .init(address: $0.address, amount: $0.cumulative) })
        return EpochResult(
            epoch: input.epoch, startMs: input.startMs, endMs: input.endMs, emission: emission, minted: minted,
            burned: input.burned, pools: pools, devices: deviceRewards, mints: mintLines, carryForward: carryForward,
            manifest: manifest, root: "0x" + tree.root.hexString, refunds: refunds, states: states)
    }

    /// The reports of the input, by device, in log order (`EpochReportGrouping`).
    private func reports(of input: EpochInput, checkingSignatures: Bool) -> DeviceReports {
        var grouping = EpochReportGrouping(input: input, checkingSignatures: checkingSignatures)
        for logged in input.reports.sorted(by: { $0.id < $1.id }) {
            guard let bytes = Data(hex: logged.bytes) else { continue }
            grouping.add(bytes)
        }
        return grouping.byDevice
    }

    /// A service pool split between output (shares) and usage (credits earned), as the
    /// service's `usage_share_percent` says; empty when nothing earned.
    private func splitPool(
        _ pool: Amount, service: Genesis.Service, devices: [EpochInput.Device], scores: [Address: ServiceScore],
        usage: [Address: Amount]
    ) -> (amounts: [Address: Amount], isEmpty: Bool) {
        let shares = devices.map { scores[$0.id]?.shares ?? 0 }
        let credits = devices.map { usage[$0.id]?.units ?? 0 }
        let hasOutput = shares.contains { $0 > 0 }
        let hasUsage = credits.contains { $0 > 0 }
        guard hasOutput || hasUsage else { return ([:], true) }
        var usagePercent: UInt128 = 0
        if case .integer(let percent)? = service.parameters["usage_share_percent"]?.value, (0...100).contains(percent) {
            usagePercent = UInt128(percent)
        }
        var usagePart: Amount =
            !hasUsage ? .zero : !hasOutput ? pool : Amount(EmissionSchedule.mulDiv(pool.units, usagePercent, 100))
        if hasOutput, case .boolean(true)? = service.parameters["usage_capped_at_burn_value"]?.value {
            // Usage earns at most what its credits were bought for; the rest goes back to output
            // (Helium: unused data-transfer rewards flow back to proof of coverage).
            var scale: UInt128 = 1
            for _ in 0..<genesis.token.decimals { scale *= 10 }
            let credits = credits.reduce(UInt128(0)) { $0 &+ $1 }
            let value = EmissionSchedule.mulDiv(credits, scale, max(genesis.creditsPerToken.units, 1))
            if value < usagePart.units { usagePart = Amount(value) }
        }
        let outputPart = (try? pool.subtracting(usagePart)) ?? .zero
        let output = ProRataSplit.split(outputPart, weights: shares).parts
        let paidForUsage = ProRataSplit.split(usagePart, weights: credits).parts
        var amounts: [Address: Amount] = [:]
        for (index, device) in devices.enumerated() {
            let amount = (try? output[index].adding(paidForUsage[index])) ?? output[index]
            if amount > .zero || shares[index] > 0 || credits[index] > 0 { amounts[device.id] = amount }
        }
        return (amounts, false)
    }
}

