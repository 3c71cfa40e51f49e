import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Testing

@Suite struct SystemRouteTests {
    @Test func healthMetricsAndNetwork() async throws {
        let world = try await NodeWorld()
        try await world.app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try object(response.body)
                #expect(body["status"] as? String == "ok")
                #expect(body["journal_entries"] as? Int == 1)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("depin_reports_accepted_total"))
            }
            try await client.execute(uri: "/v1/network", method: .get) { response in
                let body = try object(response.body)
                #expect(body["symbol"] as? String == "TST")
                #expect(body["supply_cap"] as? String == "10000000000000")
                #expect(body["current_epoch"] as? Int == 24)
            }
            try await client.execute(uri: "/no/such/route", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try object(response.body)
                #expect(body["error"] as? String == "route_not_found")
            }
        }
    }

    /// Every route the router serves is in the OpenAPI document, and every path the document
    /// names is served.
    @Test func theOpenAPIDocumentMatchesTheRoutes() async throws {
        let world = try await NodeWorld()
        let router = NodeApplication.makeRouter(state: world.state)
        let yaml = try await world.app.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
        }
        var documented = Set<String>()
        var currentPath: String?
        for line in yaml.split(separator: "\n") {
            if line.hasPrefix("  /") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = currentPath {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(method)) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            } else if !line.hasPrefix(" ") {
                currentPath = nil
            }
        }
        let served = Set(
            router.routes.map { route in
                "\(route.method) \(route.path)"
            })
        #expect(!documented.isEmpty)
        #expect(served == documented, "served only: \(served.subtracting(documented)); documented only: \(documented.subtracting(served))")
    }
}
