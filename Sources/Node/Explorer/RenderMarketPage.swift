import Core
import Foundation
import Ledger
import Rewards
import Store

/// The rendering market: its nodes by standing (reputation, benchmark, checks), the work waiting
/// and in hand, the newest jobs with their progress, and the last epoch's pool and top earners.
struct RenderMarketPage: Encodable {
    struct Earner: Encodable {
        var device: String
        var amount: Amount
        var counted: Int
    }

    var service: String
    var totals: RenderMarketTotals
    var nodes: [RenderNode]
    var jobs: [RenderJob]
    var epoch: Int64?
    var pool: Amount
    var topEarners: [Earner]

    /// Nodes that asked for work in the last minute are active.
    static let activeWindowMs: Int64 = 60_000

    static func load(_ state: NodeState, service name: String) async throws -> RenderMarketPage {
        let store = state.store
        var page = RenderMarketPage(
            service: name,
            totals: try await store.renderMarketTotals(activeSinceMs: state.clock.nowMs() - activeWindowMs),
            nodes: try await store.renderNodes(limit: 50), jobs: try await store.renderJobs(creator: nil, limit: 20),
            epoch: nil, pool: .zero, topEarners: [])
        guard let latest = try await store.epochs(limit: 1).first, let digest = try await store.digest(epoch: latest.epoch)
        else { return page }
        page.epoch = latest.epoch
        page.pool = digest.pools.first { $0.name == name }?.amount ?? .zero
        page.topEarners = try await store.rewards(epoch: latest.epoch, service: name, offset: 0, limit: 10).map {
            Earner(device: $0.device.description, amount: $0.amount, counted: $0.counted)
        }
        return page
    }

    func html(_ genesis: Genesis) -> String {
        var body = "<h1>The \(HTMLPage.escape(service)) network</h1><div class=\"cards\">"
        body += NetworkPage.card("Render nodes", "\(totals.nodes)", id: "render-nodes")
        body += NetworkPage.card("Active in the last minute", "\(totals.activeNodes)", id: "render-nodes-active")
        body += NetworkPage.card("Open jobs", "\(totals.openJobs)", id: "render-open-jobs")
        body += NetworkPage.card("Frames waiting / rendering", "\(totals.waitingFrames) / \(totals.renderingFrames)", id: "render-frames")
        body += NetworkPage.card("Frames rendered", ExplorerFormat.group("\(totals.doneFrames)"), id: "render-frames-done")
        if let epoch { body += NetworkPage.card("Epoch \(epoch) pool", ExplorerFormat.tokens(pool, genesis), id: "pool") }
        body += "</div><p>" + HTMLPage.link("/v1/render/reference", "reference scene") + " · "
        body += HTMLPage.link("/v1/render/nodes", "nodes (JSON)") + " · " + HTMLPage.link("/v1/render/jobs", "jobs (JSON)") + "</p>"
        body += "<h2>Nodes by standing</h2>" + HTMLPage.table(
            "render-node-list", headers: ["node", "reputation", "benchmark s", "renderer", "accepted", "failed", "checks passed / failed"],
            rows: nodes.map { node in
                [
                    HTMLPage.link("/devices/\(node.device)", HTMLPage.short(node.device.description)), "\(node.reputation)",
                    String(format: "%.2f", Double(node.benchmarkMs) / 1000), HTMLPage.escape(node.renderer), "\(node.verified)",
                    "\(node.failed)", "\(node.checksPassed) / \(node.checksFailed)",
                ]
            })
        body += "<h2>Newest jobs</h2>" + HTMLPage.table(
            "render-job-list", headers: ["job", "creator", "frames", "state", "tier", "credits spent of cap"],
            rows: jobs.map { job in
                [
                    HTMLPage.link("/jobs/\(job.id)", job.id), HTMLPage.link("/accounts/\(job.creator)", HTMLPage.short(job.creator.description)),
                    "\(job.framesDone) of \(job.frameCount)", HTMLPage.escape(job.state), HTMLPage.escape(job.tier),
                    "\(ExplorerFormat.group(job.spent.description)) of \(ExplorerFormat.group(job.cap.description))",
                ]
            })
        body += "<h2>Top earners</h2>" + HTMLPage.table(
            "top-earners", headers: ["node", "earned", "renders counted"],
            rows: topEarners.map {
                [HTMLPage.link("/devices/\($0.device)", HTMLPage.short($0.device)), ExplorerFormat.tokens($0.amount, genesis), "\($0.counted)"]
            })
        return HTMLPage(title: service, body: body).html
    }
}
