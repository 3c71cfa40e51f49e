import Core
import Foundation
import Ledger
import Store

/// One render job: its progress, escrow and every frame with the node that rendered it, what it
/// was paid, and its image.
struct RenderJobPage: Encodable {
    var job: RenderJob
    var progressPercent: Int
    var tasks: [RenderTask]
    var renders: Int
    var rejected: Int

    static func load(_ state: NodeState, id: String) async throws -> RenderJobPage? {
        guard let job = try await state.store.renderJob(id) else { return nil }
        let tasks = try await state.store.renderTasks(job: id)
        let results = try await state.store.renderResults(job: id)
        return RenderJobPage(
            job: job, progressPercent: job.progressPercent, tasks: tasks, renders: results.count,
            rejected: results.filter { $0.verdict == "rejected" }.count)
    }

    func html() -> String {
        var body = "<h1>Render job <code id=\"job-id\">\(HTMLPage.escape(job.id))</code></h1><div class=\"cards\">"
        body += NetworkPage.card("Frames done", "\(job.framesDone) of \(job.frameCount)", id: "job-frames")
        body += NetworkPage.card("State", HTMLPage.escape(job.state), id: "job-state")
        body += NetworkPage.card("Credits spent", "\(ExplorerFormat.group(job.spent.description)) of \(ExplorerFormat.group(job.cap.description))", id: "job-spent")
        body += NetworkPage.card("Renders (outvoted)", "\(renders) (\(rejected))", id: "job-renders")
        body += "</div><div class=\"bar\" id=\"job-progress\" data-percent=\"\(progressPercent)\"><span style=\"width:\(progressPercent)%\"></span></div>"
        body += "<p>Creator " + HTMLPage.link("/accounts/\(job.creator)", HTMLPage.short(job.creator.description))
        body += " · scene <code>\(HTMLPage.escape(String(job.scene.prefix(16))))…</code> · \(HTMLPage.escape(job.tier)) tier · "
        body += HTMLPage.link("/v1/render/jobs/\(job.id)", "every render") + "</p>"
        body += "<h2>Frames</h2>" + HTMLPage.table(
            "job-frame-list", headers: ["frame", "state", "node", "render ms", "paid", "image"],
            rows: tasks.map { task in
                [
                    "\(task.frame)", HTMLPage.escape(task.state),
                    task.node.map { HTMLPage.link("/devices/\($0)", HTMLPage.short($0.description)) } ?? "",
                    task.renderMs.map { "\($0)" } ?? "", task.paid.map { ExplorerFormat.group($0.description) } ?? "",
                    task.output.map { HTMLPage.link("/v1/content/\($0)", "PNG") } ?? "",
                ]
            })
        return HTMLPage(title: "Render job", body: body).html
    }
}
