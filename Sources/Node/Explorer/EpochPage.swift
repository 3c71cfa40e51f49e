import Core
import Foundation
import Ledger
import Rewards
import Store

/// One closed epoch: emission, pools, root, signatures and its device rewards, a page at a time.
struct EpochPage: Encodable {
    var epoch: Int64
    var emission: Amount
    var minted: Amount
    var burned: Amount
    var root: String
    var signatures: [String: String]
    var pools: [EpochResult.Pool]
    var page: Int
    var pages: Int
    var rewards: [EpochResult.DeviceReward]

    static let pageSize = 50

    static func load(_ state: NodeState, epoch: Int64, page: Int) async throws -> EpochPage? {
        guard let digest = try await state.store.digest(epoch: epoch) else { return nil }
        let pages = max(1, (digest.devices + pageSize - 1) / pageSize)
        let page = min(max(page, 1), pages)
        let summary = digest.summary
        return EpochPage(
            epoch: epoch, emission: summary.emission, minted: summary.minted, burned: summary.burned, root: summary.root,
            signatures: try await state.store.signatures(epoch: epoch), pools: digest.pools, page: page, pages: pages,
            rewards: try await state.store.rewards(epoch: epoch, service: nil, offset: (page - 1) * pageSize, limit: pageSize))
    }

    func html(_ genesis: Genesis) -> String {
        var body = "<h1>Epoch \(epoch)</h1><div class=\"cards\">"
        body += NetworkPage.card("Emission", ExplorerFormat.tokens(emission, genesis), id: "epoch-emission")
        body += NetworkPage.card("Minted", ExplorerFormat.tokens(minted, genesis), id: "epoch-minted")
        body += NetworkPage.card("Burned", ExplorerFormat.tokens(burned, genesis), id: "epoch-burned")
        body += "</div><p>Root <code id=\"epoch-root\">\(HTMLPage.escape(root))</code>, \(signatures.count) oracle signature(s)</p>"
        body += "<h2>Pools</h2>" + HTMLPage.table(
            "pools", headers: ["pool", "weight", "amount", "paid", "remainder", "carried", "to treasury"],
            rows: pools.map {
                [HTMLPage.escape($0.name), "\($0.weight)", ExplorerFormat.tokens($0.amount, genesis), ExplorerFormat.tokens($0.paid, genesis),
                 ExplorerFormat.tokens($0.remainder, genesis), ExplorerFormat.tokens($0.carried, genesis),
                 ExplorerFormat.tokens($0.toTreasury, genesis)]
            })
        body += "<h2>Device rewards (page \(page) of \(pages))</h2>" + HTMLPage.table(
            "epoch-rewards", headers: ["device", "service", "earned", "counted", "not counted", "multiplier"],
            rows: rewards.map {
                [HTMLPage.link("/devices/\($0.device)", $0.device.description), HTMLPage.escape($0.service),
                 ExplorerFormat.tokens($0.amount, genesis), "\($0.counted)", "\($0.rejected.values.reduce(0, +))",
                 HTMLPage.escape($0.multiplier)]
            })
        if pages > 1 {
            body += "<p>" + (1...pages).prefix(40).map { number in
                number == page ? "<b>\(number)</b>" : HTMLPage.link("/epochs/\(epoch)?page=\(number)", "\(number)")
            }.joined(separator: " ") + "</p>"
        }
        return HTMLPage(title: "Epoch \(epoch)", body: body).html
    }
}
