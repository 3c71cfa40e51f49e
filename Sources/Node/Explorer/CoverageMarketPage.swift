import Core
import Coverage
import Foundation
import Ledger
import Rewards
import Store

/// The coverage network's market: hotspots, the last epoch's pool and top earners, data
/// transfer paid, and the reasons reports did not count.
struct CoverageMarketPage: Encodable {
    struct Earner: Encodable {
        var device: String
        var amount: Amount
        var counted: Int
        var multiplier: String
    }

    struct Reason: Encodable {
        var code: String
        var count: Int
        var meaning: String
    }

    var service: String
    var hotspots: Int
    var online: Int
    var epoch: Int64?
    var pool: Amount
    var paid: Amount
    var rewarded: Int
    var dataCredits: Amount
    var topEarners: [Earner]
    var reasons: [Reason]

    static func load(_ state: NodeState, service name: String) async throws -> CoverageMarketPage? {
        guard let service = state.genesis.services.first(where: { $0.name == name }) else { return nil }
        let now = state.clock.nowMs()
        let window = ExplorerFormat.onlineWindowMs(state.genesis)
        let hotspots = try await state.store.deviceDirectory().filter { service.kinds.contains($0.kind) }
        var page = CoverageMarketPage(
            service: name, hotspots: hotspots.count, online: hotspots.filter { ($0.lastReportMs ?? 0) >= now - window }.count, epoch: nil,
            pool: .zero, paid: .zero, rewarded: 0, dataCredits: .zero, topEarners: [], reasons: [])
        guard let latest = try await state.store.epochs(limit: 1).first, let result = try await state.store.epoch(latest.epoch)
        else { return page }
        page.epoch = latest.epoch
        if let pool = result.pools.first(where: { $0.name == name }) {
            page.pool = pool.amount
            page.paid = pool.paid
        }
        let mine = result.devices.filter { $0.service == name }
        page.rewarded = mine.filter { $0.amount > .zero }.count
        page.dataCredits = mine.reduce(Amount.zero) { (try? $0.adding($1.usageCredits)) ?? $0 }
        page.topEarners = mine.sorted { ($0.amount, $1.device) > ($1.amount, $0.device) }.prefix(10).map {
            Earner(device: $0.device.description, amount: $0.amount, counted: $0.counted, multiplier: $0.multiplier)
        }
        var totals: [String: Int] = [:]
        for reward in mine { for (code, count) in reward.rejected { totals[code, default: 0] += count } }
        page.reasons = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
            Reason(code: $0.key, count: $0.value, meaning: CoverageReason(rawValue: $0.key)?.explanation ?? "")
        }
        return page
    }

    func html(_ genesis: Genesis) -> String {
        var body = "<h1>The \(HTMLPage.escape(service)) network</h1><div class=\"cards\">"
        body += NetworkPage.card("Devices", "\(hotspots)", id: "hotspots") + NetworkPage.card("Online", "\(online)", id: "hotspots-online")
        if let epoch {
            body += NetworkPage.card("Epoch \(epoch) pool", ExplorerFormat.tokens(pool, genesis), id: "pool")
            body += NetworkPage.card("Paid to \(rewarded) hotspots", ExplorerFormat.tokens(paid, genesis), id: "pool-paid")
            body += NetworkPage.card("Data transfer credits", ExplorerFormat.group(dataCredits.description), id: "data-credits")
        }
        body += "</div><p>" + HTMLPage.link("/map?res=8&color=rewards", "Map of rewards") + " · "
        body += HTMLPage.link("/v1/entropy", "current entropy") + " · " + HTMLPage.link("/v1/coverage/reasons", "reason codes") + "</p>"
        body += "<h2>Top earners</h2>" + HTMLPage.table(
            "top-earners", headers: ["device", "earned", "counted", "multiplier"],
            rows: topEarners.map {
                [HTMLPage.link("/devices/\($0.device)", $0.device), ExplorerFormat.tokens($0.amount, genesis), "\($0.counted)",
                 HTMLPage.escape($0.multiplier)]
            })
        body += "<h2>Why reports did not count</h2>" + HTMLPage.table(
            "reason-totals", headers: ["code", "reports", "meaning"],
            rows: reasons.map { ["<code>\(HTMLPage.escape($0.code))</code>", "\($0.count)", HTMLPage.escape($0.meaning)] })
        return HTMLPage(title: service, body: body).html
    }
}
