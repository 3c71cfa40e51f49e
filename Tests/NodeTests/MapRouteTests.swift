import Core
import Foundation
import Geo
import Hummingbird
import HummingbirdTesting
import Ledger
import Mapping
import Node
import NIOCore
import Rewards
import Store
import SwiftProtobuf
import Testing

/// The mapping network end to end on one node: a customer posts a bounty, a dashcam maps
/// Market Street and earns it, the map the epoch leaves answers paid coverage and frames
/// queries whose credits become the dashcam's usage, region progress is read over epochs, and an
/// epoch nobody maps refunds its part of the bounty.
@Suite struct MapRouteTests {
    static let hour: Int64 = 3_600_000

    /// Fixes once a second at 10 m/s along Market Street from `startMs`, a frame every 8 m.
    static func marketStreet(startMs: Int64, seed: String) -> DriveSegment {
        let road = SampleStreets.marketStreet
        var points: [(Double, Double)] = []
        for (a, b) in zip(road, road.dropFirst()) {
            let metres = GreatCircle.metres(lat1: a.lat, lng1: a.lng, lat2: b.lat, lng2: b.lng)
            for step in 0..<max(Int(metres / 2), 1) {
                let t = Double(step) * 2 / metres
                points.append((a.lat + (b.lat - a.lat) * t, a.lng + (b.lng - a.lng) * t))
            }
        }
        return DriveSegment.with { segment in
            segment.drive = Data(repeating: 7, count: 16)
            for (index, point) in points.enumerated() {
                // 2 m apart: a fix every fifth point (10 m/s), a frame every fourth (8 m).
                let ms = startMs + Int64(index) * 200
                if index % 5 == 0 {
                    segment.fixes.append(
                        GpsFix.with {
                            ($0.timestampMs, $0.lat, $0.lng) = (ms, point.0, point.1)
                            ($0.fixQuality, $0.fixMode, $0.satellites, $0.hdop, $0.speedMps) = (1, 3, 9, 0.9, 10)
                        })
                }
                if index % 4 == 0 {
                    segment.frames.append(
                        FrameRecord.with {
                            ($0.timestampMs, $0.lat, $0.lng) = (ms, point.0, point.1)
                            $0.sha256 = SHA256Digest.hash(Data("\(seed)-\(index)".utf8))
                        })
                }
            }
        }
    }

    func report(_ segment: DriveSegment, by key: SigningKey, nonce: UInt64) -> Report {
        var report = Report()
        report.nonce = nonce
        report.timestampMs = segment.fixes.last!.timestampMs + 1_000
        report.body = .driveSegment(segment)
        report.sign(with: key)
        return report
    }

    @Test func aDashcamMapsEarnsTheBountyAndIsPaidForTheQueriesItsMapServes() async throws {
        let world = try await NodeWorld(mapping: TOMLTable())
        let dashcam = SigningKey()
        let rules = world.state.rules
        _ = try await world.store.apply(world.transaction(by: world.alice, nonce: 1) { $0.burn.amount = "1000000" }, rules: rules, nowMs: world.nowMs)
        _ = try await world.store.apply(world.onboarding(dashcam, kind: .dashcam, nonce: 2), rules: rules, nowMs: world.nowMs)
        try await world.store.createAccessKey(
            AccessKey(id: "ALICEKEY", secret: "alice-secret", account: world.alice.address, createdMs: world.nowMs),
            requestMs: world.nowMs, request: Data("consent".utf8))
        try await world.store.createAccessKey(
            AccessKey(id: "BOBKEY", secret: "bob-secret", account: world.bob.address, createdMs: world.nowMs),
            requestMs: world.nowMs, request: Data("consent".utf8))
        let startCredits = try #require(try await world.store.account(world.alice.address)).credits
        let epochNow = world.state.genesis.epochs.epoch(ofMs: world.nowMs)
        let firstFix = SampleStreets.marketStreet[0]
        let area = try H3Cell(latitude: firstFix.lat, longitude: firstFix.lng, resolution: 8)
        let region = try area.parent(at: 6)
        let alice: HTTPFields = [.authorization: "Bearer ALICEKEY:alice-secret"]
        let bob: HTTPFields = [.authorization: "Bearer BOBKEY:bob-secret"]
        let box = "-122.43,37.76,-122.38,37.80"

        try await world.app.test(.router) { client in
            func get(_ uri: String, _ headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                return (response.status, (try? object(response.body)) ?? [:])
            }
            // Map queries are paid: no key, a wrong secret, a bad box are refused.
            #expect(try await get("/v1/map/coverage?bbox=\(box)").1["error"] as? String == "missing_access_key")
            #expect(try await get("/v1/map/coverage?bbox=\(box)", [.authorization: "Bearer ALICEKEY:nope"]).0 == .unauthorized)
            #expect(try await get("/v1/map/coverage?bbox=1,2,3", alice).1["error"] as? String == "invalid_bbox")
            #expect(try await get("/v1/map/coverage?bbox=-123,37,-122,38", alice).1["error"] as? String == "bbox_too_large")
            let empty = try await get("/v1/map/coverage?bbox=\(box)", alice)
            #expect(empty.0 == .ok && (empty.1["features"] as? [Any])?.isEmpty == true && empty.1["type"] as? String == "FeatureCollection")

            // A bounty on the street's start: 900 credits over 3 epochs, from the next one.
            let badBounty = world.transaction(by: world.alice, nonce: 3) {
                $0.postBounty = PostBounty.with { ($0.service, $0.area, $0.credits, $0.epochs) = ("mapping", "8c283082803ffff", "900", 3) }
            }
            let refused = try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(badBounty.canonicalBytes))
            #expect(try object(refused.body)["error"] as? String == "invalid_bounty")
            let bounty = world.transaction(by: world.alice, nonce: 3) {
                $0.postBounty = PostBounty.with { ($0.service, $0.area, $0.credits, $0.epochs) = ("mapping", area.description, "900", 3) }
            }
            let posted = try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(bounty.canonicalBytes))
            #expect(posted.status == .ok)
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(try await client.execute(uri: "/v1/map/bounties", method: .get).body.readableBytesView)) as? [[String: Any]])
            #expect(listed.count == 1 && listed[0]["first_epoch"] as? Int64 == epochNow + 1 && listed[0]["area"] as? String == area.description)

            // The next epoch the dashcam drives Market Street; a teleporting copy is refused and
            // recorded against it.
            let driveStart = world.nowMs + Self.hour + 60_000
            world.clock.nowMs = driveStart + 20 * 60_000
            var jumping = Self.marketStreet(startMs: driveStart + 600_000, seed: "jump")
            for index in 20..<jumping.fixes.count { jumping.fixes[index].lng += 0.05 }
            for (nonce, segment) in [(UInt64(1), Self.marketStreet(startMs: driveStart, seed: "drive")), (2, jumping)] {
                let response = try await client.execute(
                    uri: "/v1/reports", method: .post, headers: binary, body: protobuf(report(segment, by: dashcam, nonce: nonce).canonicalBytes))
                #expect(response.status == (nonce == 1 ? .accepted : .badRequest), "\(nonce): \(String(buffer: response.body))")
            }
            world.clock.nowMs = world.nowMs + 2 * Self.hour + 120_000
            _ = try await EpochCloser(state: world.state).closeDue()
            let mapped = try #require(try await world.store.epoch(epochNow + 1))
            let reward = try #require(mapped.reward(of: dashcam.address))
            #expect(reward.service == "mapping" && reward.counted == 1 && reward.usageCredits == Amount(300) && reward.amount > .zero)
            // One of its two segments was refused: reputation a quarter of the way to 0.5, 0.875;
            // the bounty doubles the cells in its area, so the average cell is worth more.
            let map = try MapState(decoding: try #require(try await world.store.serviceState("mapping", epoch: epochNow + 1)))
            #expect(map.reputation(of: dashcam.address) == 875 && Double(reward.multiplier)! > 0.875, "\(reward.multiplier)")
            #expect(mapped.refunds.isEmpty && mapped.stateDigests["mapping"] != nil)

            // Coverage of the box: GeoJSON polygons of the mapped cells, one credit each, paid to the dashcam.
            let (status, coverage) = try await get("/v1/map/coverage?bbox=\(box)", alice)
            let features = try #require(coverage["features"] as? [[String: Any]])
            #expect(status == .ok && features.count > 100 && coverage["epoch"] as? Int64 == epochNow + 1)
            #expect(coverage["credits_charged"] as? Int == features.count)
            let feature = features[0]
            let properties = try #require(feature["properties"] as? [String: Any])
            #expect(properties["mapper"] as? String == dashcam.address.description && (properties["freshness"] as? Double ?? 0) > 0.99)
            let ring = try #require(((feature["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
            #expect(ring.count == 7 && ring.first == ring.last && (ring[0][0] < -122 && ring[0][1] > 37), "[lng, lat] pairs")
            let frames = try await get("/v1/map/frames?cell=\(feature["id"] as! String)", alice)
            #expect(frames.0 == .ok && frames.1["credits_charged"] as? Int == 10)
            let list = try #require(frames.1["frames"] as? [[String: Any]])
            #expect(!list.isEmpty && list.allSatisfy { ($0["sha256"] as? String)?.count == 64 && $0["uploaded"] as? Bool == false })
            #expect(try await get("/v1/map/frames?cell=\(area.description)", alice).1["error"] as? String == "invalid_cell")
            let after = try #require(try await world.store.account(world.alice.address)).credits
            #expect(try startCredits.subtracting(after) == Amount(UInt128(900 + features.count + 10)))
            // Bob has no credits: his query is refused with 402 and costs nothing.
            let broke = try await get("/v1/map/coverage?bbox=\(box)", bob)
            #expect(broke.0.code == 402 && broke.1["error"] as? String == "insufficient_credits")

            // The region's progress: every known cell fresh, 3x.
            let progress = try await get("/v1/map/regions/\(region.description)?epochs=5", alice)
            let epochs = try #require(progress.1["epochs"] as? [[String: Any]])
            let last = try #require(epochs.last)
            #expect(last["epoch"] as? Int64 == epochNow + 1 && last["known_cells"] as? Int == features.count)
            #expect(last["progress"] as? Double == 1 && last["multiplier"] as? String == "3.000")
            #expect(epochs.dropLast().allSatisfy { $0["known_cells"] as? Int == 0 })

            // The next epoch nobody maps: its part of the bounty comes back; the queries' credits
            // are the dashcam's usage.
            world.clock.nowMs = world.nowMs + 3 * Self.hour + 120_000
            _ = try await EpochCloser(state: world.state).closeDue()
            let idle = try #require(try await world.store.epoch(epochNow + 2))
            #expect(idle.refunds == [CreditRefund(account: world.alice.address, credits: Amount(300), reference: TransactionRules.escrowID(bounty))])
            #expect(idle.reward(of: dashcam.address)?.usageCredits == Amount(UInt128(features.count + 10)))
            let refundedCredits = try #require(try await world.store.account(world.alice.address)).credits
            #expect(try refundedCredits.subtracting(after) == Amount(300))
            let bounties = try #require(try JSONSerialization.jsonObject(with: Data(try await client.execute(uri: "/v1/map/bounties", method: .get).body.readableBytesView)) as? [[String: Any]])
            #expect(bounties.first?["refunded"] as? String == "300")
        }
        #expect(try await world.store.verifyLedger(rules: rules).problems.isEmpty)
        // Every epoch recomputes from its input to the same root and map.
        for epoch in [epochNow + 1, epochNow + 2] {
            let stored = try #require(try await world.store.epoch(epoch))
            let input = try await world.store.epochInput(epoch: epoch, startMs: stored.startMs, endMs: stored.endMs)
            let again = world.state.engine.close(input)
            #expect(again == stored && again.stateDigests["mapping"] == stored.stateDigests["mapping"])
            let decoded = try JSONDecoder().decode(EpochInput.self, from: try JSONEncoder().encode(input))
            #expect(world.state.engine.close(decoded) == stored)
        }
    }
}
