import Core
import Coverage
import Foundation
import Geo
import Ledger
import Rewards
import Store

/// One device: owner, kind, location cell, status, earnings per epoch, and why.
struct DevicePage: Encodable {
    struct EpochEarning: Encodable {
        var epoch: Int64
        var amount: Amount
        var counted: Int
        var rejected: [String: Int]
        var multiplier: String
        var usageCredits: Amount
        var explanation: String
    }

    var id: String
    var kind: String
    var owner: String
    var cell: String?
    var location: [Double]?
    var antennaGainDbi: Double
    var online: Bool
    var lastReportMs: Int64?
    var earnings: [EpochEarning]
    var reasonMeanings: [String: String]

    static func load(_ state: NodeState, _ address: Address) async throws -> DevicePage? {
        guard let device = try await state.store.device(address.publicKey) else { return nil }
        var cell: String?
        if let lat = device.latitude, let lng = device.longitude {
            cell = (try? H3Cell(latitude: lat, longitude: lng, resolution: 12))?.description
        }
        var earnings: [EpochEarning] = []
        let summaries = try await state.store.epochs(limit: 30).reversed()
        let rewards = try await state.store.rewards(of: address, epochs: summaries.map(\.epoch))
        for summary in summaries {
            let reward = rewards[summary.epoch]
            earnings.append(
                EpochEarning(
                    epoch: summary.epoch, amount: reward?.amount ?? .zero, counted: reward?.counted ?? 0,
                    rejected: reward?.rejected ?? [:], multiplier: reward?.multiplier ?? "1",
                    usageCredits: reward?.usageCredits ?? .zero,
                    explanation: EpochRoutes.DeviceRewardView(epoch: summary.epoch, reward: reward).explanation))
        }
        var meanings: [String: String] = [:]
        for code in Set(earnings.flatMap(\.rejected.keys)) {
            meanings[code] = CoverageReason(rawValue: code)?.explanation ?? Self.uptimeMeanings[code] ?? "see docs/protocol.md"
        }
        let last = device.lastReportMs
        return DevicePage(
            id: address.description, kind: device.kind.name, owner: device.owner.description, cell: cell,
            location: device.latitude.flatMap { lat in device.longitude.map { [lat, $0] } },
            antennaGainDbi: device.antennaGainDbi,
            online: (last ?? 0) >= state.clock.nowMs() - ExplorerFormat.onlineWindowMs(state.genesis),
            lastReportMs: last, earnings: earnings, reasonMeanings: meanings)
    }

    static let uptimeMeanings = [
        "too_frequent": "a heartbeat within half an interval of the last counted one",
        "over_epoch_cap": "more heartbeats than the epoch has intervals",
    ]

    func html(_ genesis: Genesis) -> String {
        var body = "<h1>Device <code id=\"device-id\">\(HTMLPage.escape(id))</code></h1><div class=\"cards\">"
        body += NetworkPage.card("Kind", kind, id: "device-kind")
        body += NetworkPage.card("Status", online ? "online" : "offline", id: "device-status")
        let total = earnings.reduce(Amount.zero) { (try? $0.adding($1.amount)) ?? $0 }
        body += NetworkPage.card("Earned (last \(earnings.count) epochs)", ExplorerFormat.tokens(total, genesis), id: "device-earned")
        body += "</div><p>Owner: \(HTMLPage.link("/accounts/\(owner)", owner))</p>"
        if let cell {
            body += "<p>Location cell (resolution 12): \(HTMLPage.link("/map?res=12&cell=\(cell)", cell))"
            if let location { body += " <span class=\"muted\">(\(location[0]), \(location[1]), antenna \(antennaGainDbi) dBi)</span>" }
            body += "</p>"
        }
        if let lastReportMs { body += "<p class=\"muted\">Last report accepted \(ExplorerFormat.time(lastReportMs))</p>" }
        if !earnings.isEmpty {
            body += "<h2>Earnings per epoch</h2>" + SVGChart.lines(
                id: "chart-earnings", title: "earned (\(genesis.token.symbol))", labels: earnings.map { "epoch \($0.epoch)" },
                series: [("earned", "#2f7ae5", earnings.map { ExplorerFormat.tokenValue($0.amount, genesis) })])
        }
        body += "<h2>Why</h2>" + HTMLPage.table(
            "earnings", headers: ["epoch", "earned", "counted", "not counted", "multiplier", "usage credits"],
            rows: earnings.reversed().map { earning in
                let rejected = earning.rejected.sorted { $0.key < $1.key }.map {
                    "<span title=\"\(HTMLPage.escape(reasonMeanings[$0.key] ?? ""))\">\($0.value) <code>\(HTMLPage.escape($0.key))</code></span>"
                }.joined(separator: ", ")
                return [HTMLPage.link("/epochs/\(earning.epoch)", "\(earning.epoch)"), ExplorerFormat.tokens(earning.amount, genesis),
                        "\(earning.counted)", rejected.isEmpty ? "none" : rejected, HTMLPage.escape(earning.multiplier),
                        earning.usageCredits.description]
            })
        if !reasonMeanings.isEmpty {
            body += "<h2>Reason codes</h2>" + HTMLPage.table(
                "reasons", headers: ["code", "meaning"],
                rows: reasonMeanings.sorted { $0.key < $1.key }.map { ["<code>\(HTMLPage.escape($0.key))</code>", HTMLPage.escape($0.value)] })
        }
        return HTMLPage(title: "Device", body: body).html
    }
}
