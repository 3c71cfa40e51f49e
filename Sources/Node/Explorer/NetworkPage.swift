import Core
import Foundation
import Ledger
import Rewards
import Store

/// The network at a glance: devices per service and online, emission, burn, net emission and
/// supply over time, the current epoch's progress and the latest final root.
struct NetworkPage: Encodable {
    struct ServiceRow: Encodable {
        var name: String
        var kinds: [String]
        var weight: Int
        var devices: Int
        var online: Int
    }

    struct EpochRow: Encodable {
        var epoch: Int64
        var emission: Amount
        var minted: Amount
        var burned: Amount
        var netEmission: String
        var circulatingSupply: Amount
        var final: Bool
    }

    struct FinalRoot: Encodable {
        var epoch: Int64
        var root: String
        var signatures: [String: String]
    }

    var token: String
    var symbol: String
    var devices: Int
    var online: Int
    var services: [ServiceRow]
    var currentEpoch: Int64
    var currentEpochProgressPercent: Int
    var epochs: [EpochRow]
    var latestFinal: FinalRoot?

    static func load(_ state: NodeState) async throws -> NetworkPage {
        let genesis = state.genesis
        let now = state.clock.nowMs()
        let window = ExplorerFormat.onlineWindowMs(genesis)
        let counts = try await state.store.deviceCounts(onlineSinceMs: now - window)
        var services: [ServiceRow] = []
        for service in genesis.services {
            let mine = service.kinds.compactMap { counts[$0] }
            services.append(
                ServiceRow(
                    name: service.name, kinds: service.kinds.map(\.name), weight: service.weight,
                    devices: mine.reduce(0) { $0 + $1.devices }, online: mine.reduce(0) { $0 + $1.online }))
        }
        let summaries = try await state.store.epochs(limit: 200).reversed()
        var supply = genesis.allocated
        var rows: [EpochRow] = []
        for summary in summaries {
            supply = (try? supply.adding(summary.minted)) ?? supply
            supply = (try? supply.subtracting(summary.burned)) ?? .zero
            let net = summary.minted >= summary.burned
                ? ((try? summary.minted.subtracting(summary.burned))?.description ?? "0")
                : "-" + ((try? summary.burned.subtracting(summary.minted))?.description ?? "0")
            rows.append(
                EpochRow(
                    epoch: summary.epoch, emission: summary.emission, minted: summary.minted, burned: summary.burned,
                    netEmission: net, circulatingSupply: supply, final: summary.signatures >= genesis.quorum))
        }
        var latestFinal: FinalRoot?
        if let final = rows.last(where: \.final), let summary = summaries.first(where: { $0.epoch == final.epoch }) {
            latestFinal = FinalRoot(
                epoch: final.epoch, root: summary.root, signatures: try await state.store.signatures(epoch: final.epoch))
        }
        let current = genesis.epochs.epoch(ofMs: now)
        let start = genesis.epochs.startMs(of: current)
        let length = Int64(genesis.epochs.lengthSeconds) * 1000
        return NetworkPage(
            token: genesis.token.name, symbol: genesis.token.symbol, devices: counts.values.reduce(0) { $0 + $1.devices },
            online: counts.values.reduce(0) { $0 + $1.online }, services: services,
            currentEpoch: current, currentEpochProgressPercent: Int(min(100, max(0, (now - start) * 100 / max(length, 1)))),
            epochs: rows, latestFinal: latestFinal)
    }

    func html(_ genesis: Genesis) -> String {
        var body = "<h1>\(HTMLPage.escape(token)) (\(HTMLPage.escape(symbol)))</h1><div class=\"cards\">"
        body += Self.card("Devices", "\(devices)", id: "devices-total") + Self.card("Online now", "\(online)", id: "devices-online")
        body += Self.card("Current epoch", "\(currentEpoch)", id: "current-epoch")
        if let last = epochs.last {
            body += Self.card("Circulating supply", ExplorerFormat.tokens(last.circulatingSupply, genesis), id: "supply")
        }
        body += "</div><h2>Epoch \(currentEpoch) in progress</h2><div class=\"bar\" id=\"epoch-progress\" "
        body += "data-percent=\"\(currentEpochProgressPercent)\"><span style=\"width:\(currentEpochProgressPercent)%\"></span></div>"
        body += "<h2>Services</h2>" + HTMLPage.table(
            "services", headers: ["service", "kinds", "pool weight", "devices", "online"],
            rows: services.map {
                [HTMLPage.link("/markets/\($0.name)", $0.name), HTMLPage.escape($0.kinds.joined(separator: ", ")), "\($0.weight)",
                 "\($0.devices)", "\($0.online)"]
            })
        if !epochs.isEmpty {
            let recent = Array(epochs.suffix(60))
            body += "<h2>Emission and supply</h2>"
            body += SVGChart.lines(
                id: "chart-emission", title: "per epoch (\(symbol))", labels: recent.map { "epoch \($0.epoch)" },
                series: [
                    ("emission", "#2f7ae5", recent.map { ExplorerFormat.tokenValue($0.emission, genesis) }),
                    ("burned", "#e5532f", recent.map { ExplorerFormat.tokenValue($0.burned, genesis) }),
                ])
            body += SVGChart.lines(
                id: "chart-supply", title: "circulating supply (\(symbol))", labels: recent.map { "epoch \($0.epoch)" },
                series: [("supply", "#2fa56b", recent.map { ExplorerFormat.tokenValue($0.circulatingSupply, genesis) })])
        }
        if let latestFinal {
            body += "<h2>Latest final root</h2><p id=\"final-root\">epoch \(HTMLPage.link("/epochs/\(latestFinal.epoch)", "\(latestFinal.epoch)")): "
            body += "<code>\(HTMLPage.escape(latestFinal.root))</code></p>"
            body += HTMLPage.table(
                "final-signatures", headers: ["oracle", "signature"],
                rows: latestFinal.signatures.sorted { $0.key < $1.key }.map {
                    [HTMLPage.short($0.key), "<code>\(HTMLPage.escape(String($0.value.prefix(32))))…</code>"]
                })
        }
        body += "<h2>Epochs</h2>" + HTMLPage.table(
            "epochs", headers: ["epoch", "emission", "minted", "burned", "net emission", "circulating supply", "final"],
            rows: epochs.suffix(20).reversed().map {
                [HTMLPage.link("/epochs/\($0.epoch)", "\($0.epoch)"), ExplorerFormat.tokens($0.emission, genesis),
                 ExplorerFormat.tokens($0.minted, genesis), ExplorerFormat.tokens($0.burned, genesis),
                 Self.signedTokens($0.netEmission, genesis), ExplorerFormat.tokens($0.circulatingSupply, genesis),
                 $0.final ? "yes" : "no"]
            })
        return HTMLPage(title: "Network", body: body).html
    }

    /// A signed base-unit amount ("-5") in tokens.
    static func signedTokens(_ text: String, _ genesis: Genesis) -> String {
        let negative = text.hasPrefix("-")
        let amount = (try? Amount(parsing: negative ? String(text.dropFirst()) : text)) ?? .zero
        return (negative ? "−" : "") + ExplorerFormat.tokens(amount, genesis)
    }

    static func card(_ label: String, _ value: String, id: String) -> String {
        "<div class=\"card\"><div class=\"label\">\(HTMLPage.escape(label))</div><div class=\"value\" id=\"\(id)\">\(HTMLPage.escape(value))</div></div>"
    }
}
