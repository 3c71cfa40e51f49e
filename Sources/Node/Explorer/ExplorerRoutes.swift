import Core
import Foundation
import Geo
import Hummingbird
import Ledger
import Store

/// The explorer: server-rendered pages for people, each with its JSON twin (`?format=json`).
struct ExplorerRoutes {
    let state: NodeState

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            let page = try await NetworkPage.load(state)
            return try respond(request, page, page.html(state.genesis))
        }
        router.get("/map") { request, _ in
            let query = request.uri.queryParameters
            let resolution = query.get("res", as: Int.self) ?? 7
            let color = ["service", "rewards", "freshness"].contains(query.get("color") ?? "") ? query.get("color")! : "service"
            let page = try await MapPage.load(state, resolution: resolution, color: color, selected: query.get("cell"))
            return try respond(request, page, page.html(state.genesis))
        }
        router.get("/devices/{id}") { request, context in
            let address = try LedgerRoutes.address(context.parameters.get("id") ?? "")
            guard let page = try await DevicePage.load(state, address) else {
                throw NodeError.coded("device_not_found", "no device \(address) is registered")
            }
            return try respond(request, page, page.html(state.genesis))
        }
        router.get("/accounts/{address}") { request, context in
            let address = try LedgerRoutes.address(context.parameters.get("address") ?? "")
            guard let page = try await AccountPage.load(state, address) else {
                throw NodeError.coded("account_not_found", "no account \(address) has appeared on this network")
            }
            return try respond(request, page, page.html(state.genesis))
        }
        router.get("/markets/{service}") { request, context in
            let name = context.parameters.get("service") ?? ""
            if state.genesis.services.first(where: { $0.name == name })?.kinds.contains(.renderNode) == true {
                let page = try await RenderMarketPage.load(state, service: name)
                return try respond(request, page, page.html(state.genesis))
            }
            guard let page = try await CoverageMarketPage.load(state, service: name) else {
                throw NodeError(.notFound, "unknown_service", "this network runs no service '\(name)'")
            }
            return try respond(request, page, page.html(state.genesis))
        }
        router.get("/epochs/{epoch}") { request, context in
            let text = context.parameters.get("epoch") ?? ""
            guard let epoch = Int64(text), epoch >= 0 else {
                throw NodeError.coded("invalid_epoch", "epoch is a whole number, got \(text)")
            }
            let number = request.uri.queryParameters.get("page", as: Int.self) ?? 1
            guard let page = try await EpochPage.load(state, epoch: epoch, page: number) else {
                throw NodeError.coded("epoch_not_closed", "epoch \(epoch) is not closed")
            }
            return try respond(request, page, page.html(state.genesis))
        }
        router.get("/jobs/{id}") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let page = try await RenderJobPage.load(state, id: id) else {
                throw NodeError.coded("unknown_job", "no render job \(id)")
            }
            return try respond(request, page, page.html())
        }
        router.get("/search") { request, _ in
            let query = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces)
            if let target = try await destination(of: query) {
                return Response(status: .seeOther, headers: [.location: target])
            }
            throw NodeError.coded("not_found", "nothing on this network matches '\(query)'")
        }
    }

    /// Where a search for `query` leads: an epoch, a device, an account, a render job or a cell.
    private func destination(of query: String) async throws -> String? {
        if let epoch = Int64(query), epoch >= 0 { return "/epochs/\(epoch)" }
        if query.count == 16, try await state.store.renderJob(query) != nil { return "/jobs/\(query)" }
        if let address = try? Address(parsing: query) {
            if try await state.store.device(address.publicKey) != nil { return "/devices/\(address)" }
            if try await AccountPage.load(state, address) != nil { return "/accounts/\(address)" }
            return nil
        }
        if let cell = try? H3Cell(parsing: query) { return "/map?res=\(min(cell.resolution, 12))&cell=\(cell)" }
        return nil
    }

    /// The page as HTML, or its data as JSON when asked (`?format=json` or `Accept: application/json`).
    private func respond(_ request: Request, _ data: some Encodable, _ html: @autoclosure () -> String) throws -> Response {
        let wantsJSON = request.uri.queryParameters.get("format") == "json"
            || (request.headers[.accept]?.contains("application/json") == true
                && request.headers[.accept]?.contains("text/html") != true)
        if wantsJSON { return try JSONBody.response(data) }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html())))
    }
}
