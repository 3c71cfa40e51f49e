import Core
import Foundation

extension Genesis {
    /// The genesis as a commented `network.toml` that `Genesis(toml:)` reads back unchanged.
    public var toml: String {
        var out = "# depin network genesis. Amounts are integers in base units, written as strings.\n"
        out += "# docs/genesis.md describes every key.\n\n"
        out += "[token]\nname = \(quoted(token.name))\nsymbol = \(quoted(token.symbol))\n"
        out += "decimals = \(token.decimals)\nsupply_cap = \(quoted(token.supplyCap.description))\n\n"
        out += "[emission]\nper_epoch = \(quoted(emission.perEpoch.description))\n"
        switch emission.decay {
        case .none: out += "decay = \"none\"\n"
        case .halving(let epochs): out += "decay = \"halving\"\nhalving_epochs = \(epochs)\n"
        case .yearlyCut(let percent): out += "decay = \"yearly_cut\"\nyearly_cut_percent = \(percent)\n"
        }
        let formatter = ISO8601DateFormatter()
        let start = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epochs.startTime)))
        out += "\n[epochs]\nlength_seconds = \(epochs.lengthSeconds)\nstart = \(quoted(start))\n"
        out += "grace_seconds = \(epochs.graceSeconds)\n"
        out += "\n[credits]\n# Credits made per whole token burned (the quote until an oracle updates it).\n"
        out += "per_token = \(quoted(creditsPerToken.description))\n"
        out += "max_price_age_seconds = \(maxPriceAgeSeconds)\n"
        out += "\n[reports]\nmax_future_seconds = \(reports.maxFutureSeconds)\n"
        out += "max_age_seconds = \(reports.maxAgeSeconds)\n"
        for service in services {
            out += "\n[services.\(service.name)]\nweight = \(service.weight)\n"
            out += "kinds = [\(service.kinds.map { quoted($0.name) }.joined(separator: ", "))]\n"
            for key in service.parameters.keys {
                if let value = service.parameters[key]?.value { out += "\(key) = \(Self.render(value))\n" }
            }
        }
        out += "\n[treasury]\nweight = \(treasury.weight)\naccount = \(quoted(treasury.account.description))\n"
        out += "empty_pools = \(quoted(treasury.emptyPools.rawValue))\n"
        out += "settlement_account = \(quoted(treasury.settlementAccount.description))\n"
        out += "\n[oracles]\nkeys = [\(oracles.map { quoted($0.address.description) }.joined(separator: ", "))]\n"
        out += "quorum = \(quorum)\n"
        out += "\n[makers]\nkeys = [\(makers.map { quoted($0.address.description) }.joined(separator: ", "))]\n"
        if !operators.isEmpty {
            out += "\n[operators]\n# Keys that may sign admin changes (denylist, service parameters).\n"
            out += "keys = [\(operators.map { quoted($0.address.description) }.joined(separator: ", "))]\n"
        }
        for allocation in allocations {
            out += "\n[[allocations]]\naccount = \(quoted(allocation.account.description))\n"
            out += "amount = \(quoted(allocation.amount.description))\n"
        }
        return out
    }

    private func quoted(_ text: String) -> String { Self.quote(text) }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func render(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): quote(text)
        case .integer(let number): String(number)
        case .float(let number): String(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .array(let items): "[" + items.map(render).joined(separator: ", ") + "]"
        case .table(let table):
            "{ " + table.keys.compactMap { key in table[key].map { "\(key) = \(render($0.value))" } }
                .joined(separator: ", ") + " }"
        }
    }
}
