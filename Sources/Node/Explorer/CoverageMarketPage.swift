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
        let window = ExplorerFormat.onlineWindowMs(state.genesis)
        let counts = try await state.store.deviceCounts(onlineSinceMs: state.clock.nowMs() - window)
        var page = CoverageMarketPage(
            service: name, hotspots: service.kinds.reduce(0) { $0 + (counts[$1]?.devices ?? 0) },
            online: service.kinds.reduce(0) { $0 + (counts[$1]?.online ?? 0) }, epoch: nil, pool: .zero, paid: .zero,
            rewarded: 0, dataCredits: .zero, topEarners: [], reasons: [])
        guard let latest = try await state.store.epochs(limit: 1).first, let digest = try await state.store.digest(epoch: latest.epoch)
        else { return page }
        page.epoch = latest.epoch
        if let pool = digest.pools.first(where: { $0.name == name }) {
            page.pool = pool.amount
            page.paid = pool.paid
        }
        if let totals = digest.services.first(where: { $0.service == name }) {
            page.rewarded = totals.rewarded
            page.dataCredits = totals.usageCredits
            page.reasons = totals.rejected.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
                Reason(code: $0.key, count: $0.value, meaning: CoverageReason(rawValue: $0.key)?.explanation ?? "")
            }
        }
        page.topEarners = try await state.store.rewards(epoch: latest.epoch, service: name, offset: 0, limit: 10).map {
            Earner(device: $0.device.description, amount: $0.amount, counted: $0.counted, multiplier: $0.multiplier)
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
