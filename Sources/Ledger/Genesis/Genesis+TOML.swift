import Core
import Foundation

extension Genesis {
    /// The device kinds each reference service runs on, when its table does not list `kinds`.
    public static let defaultKinds: [String: [DeviceKind]] = [
        "coverage": [.hotspot], "rendering": [.renderNode], "storage": [.storageNode],
        "mapping": [.dashcam], "telemetry": [.vehicle, .meter],
    ]

    /// Reads and checks a genesis file; every refusal names the line and the reason.
    public init(toml text: String) throws(GenesisError) {
        let root = try TOMLParser(text).parse()
        var top = GenesisTableReader(root, name: "genesis")

        var tokenTable = try Self.table(&top, "token")
        let name = try tokenTable.string("name")
        guard !name.isEmpty, name.count <= 64 else {
            throw GenesisError(line: root["token"]?.line ?? 0, "token name must be 1 to 64 characters")
        }
        let symbol = try tokenTable.string("symbol")
        guard (2...11).contains(symbol.count), symbol.allSatisfy({ ($0.isUppercase || $0.isNumber) && $0.isASCII })
        else {
            throw GenesisError(
                line: tokenTable.table["symbol"]?.line ?? 0, "symbol must be 2 to 11 upper-case letters or digits")
        }
        let token = Token(
            name: name, symbol: symbol,
            decimals: Int(try tokenTable.integer("decimals", default: 6, in: 0...18)),
            supplyCap: try tokenTable.amount("supply_cap"))
        try tokenTable.rejectUnknownKeys()

        var emissionTable = try Self.table(&top, "emission")
        let perEpoch = try emissionTable.amount("per_epoch")
        let decayName = try emissionTable.string("decay", default: "none")
        let decay: Decay
        switch decayName {
        case "none": decay = .none
        case "halving":
            decay = .halving(epochs: Int(try emissionTable.integer("halving_epochs", in: 1...1_000_000)))
        case "yearly_cut":
            decay = .yearlyCut(percent: Int(try emissionTable.integer("yearly_cut_percent", in: 1...99)))
        default:
            throw GenesisError(
                line: emissionTable.table["decay"]?.line ?? 0,
                "decay is \"none\", \"halving\" or \"yearly_cut\", not \"\(decayName)\"")
        }
        try emissionTable.rejectUnknownKeys()

        var epochTable = try Self.table(&top, "epochs")
        let length = Int(try epochTable.integer("length_seconds", default: 86_400, in: 1...31_536_000))
        let startText = try epochTable.string("start", default: "2026-01-01T00:00:00Z")
        guard let start = ISO8601DateFormatter().date(from: startText) else {
            throw GenesisError(
                line: epochTable.table["start"]?.line ?? 0,
                "start is an RFC 3339 UTC time such as \"2026-01-01T00:00:00Z\"")
        }
        let grace = Int(try epochTable.integer("grace_seconds", default: 600, in: 0...604_800))
        try epochTable.rejectUnknownKeys()

        var creditsTable = try Self.table(&top, "credits")
        let creditsPerToken = try creditsTable.amount("per_token")
        guard creditsPerToken > .zero else {
            throw GenesisError(line: creditsTable.line, "credits per token must be more than zero")
        }
        let maxPriceAge = Int(try creditsTable.integer("max_price_age_seconds", default: 3_600, in: 1...31_536_000))
        try creditsTable.rejectUnknownKeys()

        var reportsTable = try Self.table(&top, "reports", optional: true)
        let reports = Reports(
            maxFutureSeconds: Int(try reportsTable.integer("max_future_seconds", default: 300, in: 0...86_400)),
            maxAgeSeconds: Int(try reportsTable.integer("max_age_seconds", default: 259_200, in: 1...31_536_000)))
        try reportsTable.rejectUnknownKeys()

        let services = try Self.services(&top)

        var treasuryTable = try Self.table(&top, "treasury")
        let emptyName = try treasuryTable.string("empty_pools", default: "treasury")
        guard let emptyPools = EmptyPoolPolicy(rawValue: emptyName) else {
            throw GenesisError(
                line: treasuryTable.table["empty_pools"]?.line ?? 0, "empty_pools is \"treasury\" or \"carry\"")
        }
        let treasuryAccount = try treasuryTable.address("account")
        let settlement =
            treasuryTable.table["settlement_account"] == nil
            ? treasuryAccount : try treasuryTable.address("settlement_account")
        let treasury = Treasury(
            weight: Int(try treasuryTable.integer("weight", default: 0, in: 0...1_000_000)),
            account: treasuryAccount, emptyPools: emptyPools, settlementAccount: settlement)
        try treasuryTable.rejectUnknownKeys()

        var oracleTable = try Self.table(&top, "oracles")
        let oracles = try oracleTable.addresses("keys")
        guard !oracles.isEmpty else { throw GenesisError(line: oracleTable.line, "[oracles] needs at least one key") }
        let quorum = Int(try oracleTable.integer("quorum", default: 1, in: 1...1000))
        guard quorum <= oracles.count else {
            throw GenesisError(
                line: oracleTable.table["quorum"]?.line ?? oracleTable.line,
                "quorum \(quorum) is more than the \(oracles.count) oracle keys")
        }
        try oracleTable.rejectUnknownKeys()

        var makerTable = try Self.table(&top, "makers")
        let makers = try makerTable.addresses("keys")
        try makerTable.rejectUnknownKeys()

        var operatorTable = try Self.table(&top, "operators", optional: true)
        let operators = try operatorTable.addresses("keys")
        try operatorTable.rejectUnknownKeys()

        let allocations = try Self.allocations(&top)
        try top.rejectUnknownKeys()

        self.init(
            token: token, emission: Emission(perEpoch: perEpoch, decay: decay),
            epochs: Epochs(lengthSeconds: length, startTime: Int64(start.timeIntervalSince1970), graceSeconds: grace),
            creditsPerToken: creditsPerToken, services: services, treasury: treasury, reports: reports,
            oracles: oracles, quorum: quorum, makers: makers, allocations: allocations)
        self.maxPriceAgeSeconds = maxPriceAge
        self.operators = operators

        guard allocated <= token.supplyCap else {
            throw GenesisError(
                line: root["allocations"]?.line ?? 0,
                "the allocations (\(allocated)) exceed the supply cap (\(token.supplyCap))")
        }
        guard perEpoch <= token.supplyCap else {
            throw GenesisError(line: root["emission"]?.line ?? 0, "per_epoch exceeds the supply cap")
        }
        guard services.reduce(0, { $0 + $1.weight }) + treasury.weight > 0 else {
            throw GenesisError(line: root["treasury"]?.line ?? 0, "the pool weights add up to zero")
        }
    }

    private static func table(_ top: inout GenesisTableReader, _ key: String, optional: Bool = false)
        throws(GenesisError) -> GenesisTableReader
    {
        guard let entry = top.entry(key) else {
            if optional { return GenesisTableReader(TOMLTable(), name: key) }
            throw GenesisError(line: 0, "the genesis needs a [\(key)] table")
        }
        guard case .table(let table) = entry.value else {
            throw GenesisError(line: entry.line, "'\(key)' is a table")
        }
        return GenesisTableReader(table, name: key)
    }

    private static func services(_ top: inout GenesisTableReader) throws(GenesisError) -> [Service] {
        guard let entry = top.entry("services") else {
            throw GenesisError(line: 0, "the genesis needs at least one [services.NAME] table")
        }
        guard case .table(let all) = entry.value, !all.keys.isEmpty else {
            throw GenesisError(line: entry.line, "write each service as a [services.NAME] table")
        }
        var services: [Service] = []
        var servedBy: [DeviceKind: String] = [:]
        for name in all.keys {
            guard case .table(let table)? = all[name]?.value else {
                throw GenesisError(line: all[name]?.line ?? entry.line, "services.\(name) is a table")
            }
            var reader = GenesisTableReader(table, name: "services.\(name)")
            let weight = Int(try reader.integer("weight", in: 0...1_000_000))
            var kinds = defaultKinds[name] ?? []
            if let kindsEntry = reader.entry("kinds") {
                guard case .array(let items) = kindsEntry.value else {
                    throw GenesisError(line: kindsEntry.line, "kinds is an array of device kinds")
                }
                kinds = []
                for item in items {
                    guard case .string(let kindName) = item, let kind = DeviceKind(name: kindName) else {
                        throw GenesisError(
                            line: kindsEntry.line,
                            "kinds holds device kinds: \(DeviceKind.allNamed.map(\.name).joined(separator: ", "))")
                    }
                    kinds.append(kind)
                }
            }
            guard !kinds.isEmpty else {
                throw GenesisError(line: table.line, "[services.\(name)] needs 'kinds': no default for '\(name)'")
            }
            for kind in kinds {
                // A device earns from one pool: its kind's service.
                if let other = servedBy[kind] {
                    throw GenesisError(
                        line: table["kinds"]?.line ?? table.line,
                        "kind '\(kind.name)' already serves [services.\(other)]; a kind serves one service")
                }
                servedBy[kind] = name
            }
            var parameters = TOMLTable(line: table.line)
            for key in table.keys where key != "weight" && key != "kinds" { parameters[key] = table[key] }
            services.append(Service(name: name, weight: weight, kinds: kinds, parameters: parameters))
        }
        return services
    }

    private static func allocations(_ top: inout GenesisTableReader) throws(GenesisError) -> [Allocation] {
        guard let entry = top.entry("allocations") else { return [] }
        guard case .array(let items) = entry.value else {
            throw GenesisError(line: entry.line, "write allocations as [[allocations]] tables")
        }
        var allocations: [Allocation] = []
        for item in items {
            guard case .table(let table) = item else {
                throw GenesisError(line: entry.line, "write allocations as [[allocations]] tables")
            }
            var reader = GenesisTableReader(table, name: "allocations")
            allocations.append(Allocation(account: try reader.address("account"), amount: try reader.amount("amount")))
            try reader.rejectUnknownKeys()
        }
        return allocations
    }
}
