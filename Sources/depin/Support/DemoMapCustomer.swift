import Agent
import Core
import Foundation
import Geo
import Logging
import Mapping

/// The demo's map customer: it posts a bounty on the middle of Market Street, then every couple
/// of epochs buys the street's coverage and the newest frames of one cell with its access key.
/// What it pays is the demo dashcam's usage, so the dashcam earns from demand as well as from
/// mapping, as a real driver does.
struct DemoMapCustomer: Sendable {
    let client: NodeClient
    let accessKey: (id: String, secret: String)
    let epochSeconds: Int64
    let logger: Logger
    /// A box around Market Street.
    static let box = "-122.425,37.770,-122.390,37.800"

    /// Posts the bounty (once per demo directory: the node refuses nothing, but a second one
    /// would only double it), before the fleet's other transactions start.
    static func postBounty(_ client: NodeClient, by owner: SigningKey) async throws -> String {
        let middle = SampleStreets.point(SampleStreets.marketStreet, at: SampleStreets.length(SampleStreets.marketStreet) / 2)
        let area = try H3Cell(latitude: middle.lat, longitude: middle.lng, resolution: 8).description
        let listed = try await client.getting("/v1/map/bounties")
        if String(decoding: listed.body, as: UTF8.self).contains(area) { return area }
        _ = try await client.signAndSubmit(by: owner) {
            $0.postBounty.service = "mapping"
            $0.postBounty.area = area
            $0.postBounty.credits = "70000"
            $0.postBounty.epochs = 7
        }
        return area
    }

    /// Buys coverage and frames until cancelled; a refused query is logged and tried again.
    func run() async throws {
        let headers = ["Authorization": "Bearer \(accessKey.id):\(accessKey.secret)"]
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(max(2 * epochSeconds, 5)))
            do {
                let coverage = try await client.getting("/v1/map/coverage?bbox=\(Self.box)", headers: headers)
                let json = try JSONSerialization.jsonObject(with: coverage.body) as? [String: Any]
                let features = json?["features"] as? [[String: Any]] ?? []
                if let cell = features.randomElement()?["id"] as? String {
                    _ = try await client.getting("/v1/map/frames?cell=\(cell)", headers: headers)
                }
                logger.debug("demo map customer", metadata: ["cells": "\(features.count)", "charged": "\(json?["credits_charged"] ?? 0)"])
            } catch is CancellationError {
                return
            } catch {
                logger.warning("demo map customer: query failed; trying again", metadata: ["reason": "\(error)"])
            }
        }
    }
}
