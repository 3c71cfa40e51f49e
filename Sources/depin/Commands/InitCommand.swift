import Agent
import ArgumentParser
import Core
import Foundation
import Ledger

/// `depin init`: writes a genesis file.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a genesis file (network.toml) for a new network.",
        discussion: """
            Keys not given are made beside the genesis file: oracle.key, maker.key, operator.key and treasury.key.
            Amounts are integers in base units unless a flag says tokens.
            """)

    @Option(name: .long, help: "The token's name.") var token: String
    @Option(name: .long, help: "The token's symbol (2 to 11 upper-case letters or digits).") var symbol: String
    @Option(name: .long, help: "Decimal places (0 to 18).") var decimals = 6
    @Option(name: .long, help: "Supply cap in whole tokens.") var supplyCapTokens: UInt64 = 10_000_000_000
    @Option(name: .long, help: "Emission of epoch 0 in whole tokens.") var emissionTokens: UInt64 = 1_000_000
    @Option(name: .long, help: "Decay: none, halving or yearly-cut.") var decay = "halving"
    @Option(name: .long, help: "Epochs between halvings.") var halvingEpochs = 730
    @Option(name: .long, help: "Yearly cut in percent.") var yearlyCutPercent = 15
    @Option(name: .long, help: "Epoch length in seconds.") var epochSeconds = 86_400
    @Option(name: .long, help: "Seconds after an epoch's end before it closes.") var graceSeconds = 600
    @Option(name: .long, help: "When epoch 0 starts (RFC 3339, UTC); default today 00:00 UTC.") var start: String?
    @Option(name: .long, help: "Credits made per whole token burned.") var creditsPerToken: UInt64 = 100_000
    @Option(name: .long, parsing: .singleValue, help: "A service and its pool weight, e.g. coverage=40 (repeatable).")
    var service: [String] = []
    @Option(name: .long, help: "The treasury's pool weight.") var treasuryWeight = 10
    @Option(name: .long, help: "The treasury account.") var treasury: String?
    @Option(name: .long, parsing: .singleValue, help: "An oracle address (repeatable).") var oracle: [String] = []
    @Option(name: .long, help: "Oracle signatures needed for a final root.") var quorum = 1
    @Option(name: .long, parsing: .singleValue, help: "A trusted maker address (repeatable).") var maker: [String] = []
    @Option(name: .long, parsing: .singleValue, help: "An operator address, allowed admin changes (repeatable).")
    var `operator`: [String] = []
    @Option(name: .long, parsing: .singleValue, help: "A genesis allocation ADDRESS=BASE_UNITS (repeatable).")
    var allocate: [String] = []
    @Option(name: .long, help: "Where to write the genesis.") var out = "network.toml"
    @Flag(name: .long, help: "Overwrite an existing genesis file.") var force = false

    func run() async throws {
        if FileManager.default.fileExists(atPath: out), !force {
            throw CLIError("\(out) exists; pass --force to overwrite it")
        }
        let directory = (out as NSString).deletingLastPathComponent
        let keyDirectory = directory.isEmpty ? "." : directory
        let genesis = try makeGenesis(keyDirectory: keyDirectory)
        let text = genesis.toml
        do { _ = try Genesis(toml: text) } catch { throw CLIError("the genesis does not check: \(error)") }
        try text.write(toFile: out, atomically: true, encoding: .utf8)
        print("wrote \(out) (\(genesis.token.name), \(genesis.token.symbol))")
    }

    /// Parameters `init` writes for a service, so the genesis shows the choices that matter.
    static func defaultParameters(_ service: String) -> TOMLTable {
        var table = TOMLTable()
        guard service == "coverage" else { return table }
        // Helium's split of an IoT epoch: data transfer up to half, capped at what the credits
        // were bought for, the rest to proof of coverage; an assertion costs $10 of credits.
        let values: [(String, TOMLValue)] = [
            ("usage_share_percent", .integer(50)), ("usage_capped_at_burn_value", .boolean(true)),
            ("beacon_percent", .integer(20)), ("assert_location_fee_credits", .integer(1_000_000)),
        ]
        for (key, value) in values { table[key] = .init(value: value, line: 0) }
        return table
    }

    func makeGenesis(keyDirectory: String) throws -> Genesis {
        guard (0...18).contains(decimals) else { throw CLIError("--decimals is between 0 and 18") }
        var scale: UInt128 = 1
        for _ in 0..<decimals { scale *= 10 }
        let decayValue: Genesis.Decay =
            switch decay {
            case "none": .none
            case "halving": .halving(epochs: halvingEpochs)
            case "yearly-cut", "yearly_cut": .yearlyCut(percent: yearlyCutPercent)
            default: throw CLIError("--decay is none, halving or yearly-cut")
            }
        var services: [Genesis.Service] = []
        let specs = service.isEmpty
            ? ["coverage=40", "rendering=15", "storage=15", "mapping=10", "telemetry=10"] : service
        for spec in specs {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let weight = Int(parts[1]), weight >= 0 else {
                throw CLIError("--service is NAME=WEIGHT, got \(spec)")
            }
            guard let kinds = Genesis.defaultKinds[parts[0]] else {
                throw CLIError(
                    "unknown service \(parts[0]); init knows coverage, rendering, storage, mapping, telemetry "
                        + "(add others to the genesis by hand with their kinds)")
            }
            services.append(
                Genesis.Service(name: parts[0], weight: weight, kinds: kinds, parameters: Self.defaultParameters(parts[0])))
        }
        let oracles = try keys(oracle, orNew: keyDirectory + "/oracle.key", "--oracle")
        let makers = try keys(maker, orNew: keyDirectory + "/maker.key", "--maker")
        let operators = try keys(`operator`, orNew: keyDirectory + "/operator.key", "--operator")
        let treasuryAccount =
            try treasury.map { try parseAddress($0, "--treasury") }
            ?? KeyFile.loadOrCreate(at: keyDirectory + "/treasury.key").address
        let settlementAccount = try KeyFile.loadOrCreate(at: keyDirectory + "/settlement.key").address
        var allocations: [Genesis.Allocation] = []
        for spec in allocate {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw CLIError("--allocate is ADDRESS=BASE_UNITS, got \(spec)") }
            let amount: Amount
            do { amount = try Amount(parsing: parts[1]) } catch { throw CLIError("--allocate \(spec): \(error)") }
            allocations.append(Genesis.Allocation(account: try parseAddress(parts[0], "--allocate"), amount: amount))
        }
        let startSeconds: Int64
        if let start {
            guard let date = ISO8601DateFormatter().date(from: start) else {
                throw CLIError("--start is an RFC 3339 UTC time such as 2026-01-01T00:00:00Z")
            }
            startSeconds = Int64(date.timeIntervalSince1970)
        } else {
            let now = Int64(Date().timeIntervalSince1970)
            startSeconds = now - now % 86_400
        }
        var genesis = Genesis(
            token: .init(name: token, symbol: symbol, decimals: decimals, supplyCap: Amount(UInt128(supplyCapTokens) * scale)),
            emission: .init(perEpoch: Amount(UInt128(emissionTokens) * scale), decay: decayValue),
            epochs: .init(lengthSeconds: epochSeconds, startTime: startSeconds, graceSeconds: graceSeconds),
            creditsPerToken: Amount(UInt128(creditsPerToken)), services: services,
            treasury: .init(
                weight: treasuryWeight, account: treasuryAccount, emptyPools: .treasury,
                settlementAccount: settlementAccount),
            reports: .init(maxFutureSeconds: 300, maxAgeSeconds: 259_200),
            oracles: oracles, quorum: quorum, makers: makers, allocations: allocations)
        genesis.operators = operators
        return genesis
    }

    private func keys(_ addresses: [String], orNew path: String, _ flag: String) throws -> [PublicKey] {
        if addresses.isEmpty { return [try KeyFile.loadOrCreate(at: path).publicKey] }
        return try addresses.map { try parseAddress($0, flag).publicKey }
    }
}
