import Core
import Foundation
import Geo
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import NIOCore
import Store
import Telemetry
import Testing

/// Developers' access to a car's telemetry: an owner's grant per privilege with an expiry, a
/// token exchanged for it, each privilege allowing exactly its data, the approximate location
/// never the point, expired, revoked and transferred grants refused, reads paid to the car.
@Suite struct TelemetryAccessTests {
    let exact = (lat: 37.774929, lng: -122.419416)

    /// A world where Alice's car sent a batch with locations and Bob holds credits.
    func world() async throws -> (NodeWorld, SigningKey, SigningKey) {
        let world = try await NodeWorld()
        let (car, carol) = (SigningKey(), SigningKey())
        let rules = world.state.rules
        _ = try await world.store.apply(world.onboarding(car, kind: .vehicle), rules: rules, nowMs: world.nowMs)
        _ = try await world.store.apply(
            world.transaction(by: world.alice, nonce: 2) { ($0.transfer.to, $0.transfer.amount) = (world.bob.address.description, "1000000") },
            rules: rules, nowMs: world.nowMs)
        _ = try await world.store.apply(world.transaction(by: world.bob, nonce: 1) { $0.burn.amount = "1000000" }, rules: rules, nowMs: world.nowMs)
        var report = Report()
        report.nonce = 1
        report.timestampMs = world.nowMs
        report.vehicleTelemetry.vin = "1HGCM82633A004352"
        for step in 0..<3 {
            var sample = VehicleSample()
            sample.timestampMs = world.nowMs - Int64(3 - step) * 5_000
            (sample.speedKph, sample.rpm, sample.coolantC, sample.odometerKm) = (30 + Double(step), 1_800, 90, 42_000)
            sample.dtcs = ["P0301"]
            sample.location.lat = exact.lat + Double(step) * 0.0001
            sample.location.lng = exact.lng
            report.vehicleTelemetry.samples.append(sample)
        }
        report.sign(with: car)
        _ = try await world.store.appendReports(
            [VerifiedReport(report: report, device: car.publicKey, type: "vehicle_telemetry", epoch: world.state.genesis.epochs.epoch(ofMs: world.nowMs))],
            allowedKinds: world.state.admission.allowedKinds, validate: { _, _ in nil }, nowMs: world.nowMs)
        return (world, car, carol)
    }

    func grant(_ world: NodeWorld, _ car: SigningKey, to grantee: Address, _ privileges: [String], nonce: UInt64, for ms: Int64 = 3_600_000)
        -> Transaction
    {
        world.transaction(by: world.alice, nonce: nonce) {
            $0.grantAccess.device = car.publicKey.rawRepresentation
            $0.grantAccess.grantee = grantee.description
            $0.grantAccess.privileges = privileges
            $0.grantAccess.expiresMs = world.nowMs + ms
        }
    }

    @Test func eachPrivilegeAllowsExactlyItsDataAndGrantsEnd() async throws {
        let (world, car, carol) = try await world()
        try await world.app.test(.router) { client in
            func submit(_ transaction: Transaction) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(transaction.canonicalBytes))
                return (response.status, (try? object(response.body)) ?? [:])
            }
            func token(_ key: SigningKey, at ms: Int64? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
                let request = TelemetryTokenRequest(device: car.address, key: key, timestampMs: ms ?? world.clock.nowMs)
                let response = try await client.execute(
                    uri: "/v1/telemetry/tokens", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(bytes: try JSONEncoder().encode(request)))
                return (response.status, (try? object(response.body)) ?? [:])
            }
            func read(_ token: String, _ query: String = "", device: Address? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await client.execute(
                    uri: "/v1/telemetry/\(device ?? car.address)\(query)", method: .get, headers: [.authorization: "Bearer \(token)"])
                return (response.status, (try? object(response.body)) ?? [:])
            }
            // Only the owner grants, and only known privileges.
            let stranger = world.transaction(by: world.bob, nonce: 2) {
                $0.grantAccess.device = car.publicKey.rawRepresentation
                $0.grantAccess.grantee = world.bob.address.description
                $0.grantAccess.privileges = ["vin"]
                $0.grantAccess.expiresMs = world.nowMs + 60_000
            }
            #expect(try await submit(stranger).1["error"] as? String == "not_owner")
            #expect(try await submit(grant(world, car, to: world.bob.address, ["speed"], nonce: 3)).1["error"] as? String == "invalid_grant")
            #expect(try await token(world.bob).1["error"] as? String == "no_grant")

            // Each privilege alone: the read holds exactly its part.
            let parts: [String: String] = [
                "live_data": "live_data", "diagnostic_codes": "diagnostic_codes", "vin": "vin", "current_location": "current_location",
                "approximate_location": "approximate_location", "location_history": "location_history",
            ]
            var nonce: UInt64 = 3
            for (privilege, key) in parts.sorted(by: { $0.key < $1.key }) {
                #expect(try await submit(grant(world, car, to: world.bob.address, [privilege], nonce: nonce)).0 == .ok)
                nonce += 1
                let issued = try await token(world.bob)
                let jwt = try #require(issued.1["token"] as? String, "\(issued.1)")
                let (status, body) = try await read(jwt)
                #expect(status == .ok, "\(privilege): \(body)")
                let present = Set(parts.values.filter { body[$0] != nil })
                #expect(present == [key], "\(privilege) gave \(present)")
                let other = parts.keys.first { $0 != privilege }!
                let refused = try await read(jwt, "?fields=\(other)")
                #expect(refused.0 == .forbidden && refused.1["error"] as? String == "missing_privilege")
                #expect((refused.1["message"] as? String)?.contains(other) == true)
            }
            // The approximate location is the resolution-6 cell's centre, never the point.
            #expect(try await submit(grant(world, car, to: world.bob.address, ["approximate_location", "current_location"], nonce: nonce)).0 == .ok)
            nonce += 1
            let both = try #require(try await token(world.bob).1["token"] as? String)
            let located = try await read(both)
            let approximate = try #require(located.1["approximate_location"] as? [String: Any])
            let current = try #require(located.1["current_location"] as? [String: Any])
            let centre = try H3Cell(latitude: exact.lat + 0.0002, longitude: exact.lng, resolution: 6).center
            #expect(abs((approximate["lat"] as? Double ?? 0) - centre.latitude) < 1e-6 && abs((approximate["lng"] as? Double ?? 0) - centre.longitude) < 1e-6)
            #expect(approximate["lat"] as? Double != current["lat"] as? Double)
            #expect(current["lat"] as? Double == exact.lat + 0.0002, "the newest sample's point")

            // Reads are paid: five credits each, as the car's usage.
            let before = try #require(try await world.store.account(world.bob.address)).credits
            _ = try await read(both)
            let after = try #require(try await world.store.account(world.bob.address)).credits
            #expect(try before.subtracting(after) == Amount(5))

            // Somebody else's signature, another device, a forged token: refused.
            var forged = TelemetryTokenRequest(device: car.address, key: carol, timestampMs: world.nowMs)
            forged.grantee = world.bob.address.description
            let forgedResponse = try await client.execute(
                uri: "/v1/telemetry/tokens", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: try JSONEncoder().encode(forged)))
            #expect(try object(forgedResponse.body)["error"] as? String == "bad_signature")
            #expect(try await read(both, device: SigningKey().address).1["error"] as? String == "token_for_another_device")
            #expect(try await read(both + "x").1["error"] as? String == "bad_token")
            #expect(try await token(world.bob, at: world.nowMs - 600_000).1["error"] as? String == "stale_request")

            // Expiry: a five-minute grant; its token ends with it.
            #expect(try await submit(grant(world, car, to: carol.address, ["vin"], nonce: nonce, for: 300_000)).0 == .ok)
            nonce += 1
            let listed = try await client.execute(uri: "/v1/telemetry/\(car.address)/grants", method: .get)
            let grants = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.readableBytesView)) as? [[String: Any]])
            let carols = try #require(grants.first { $0["grantee"] as? String == carol.address.description })
            #expect(grants.count == 2 && carols["privileges"] as? [String] == ["vin"] && carols["active"] as? Bool == true)
            #expect(carols["expires_ms"] as? Int64 == world.nowMs + 300_000)
            let short = try await token(carol)
            #expect(short.1["expires_ms"] as? Int64 == world.nowMs + 300_000)
            world.clock.nowMs = world.nowMs + 360_000
            #expect(try await read(try #require(short.1["token"] as? String)).1["error"] as? String == "token_expired")
            #expect(try await token(carol).1["error"] as? String == "grant_expired")
            world.clock.nowMs = world.nowMs

            // Revocation stops a live token at once.
            let revoke = world.transaction(by: world.alice, nonce: nonce) {
                $0.revokeAccess.device = car.publicKey.rawRepresentation
                $0.revokeAccess.grantee = world.bob.address.description
            }
            nonce += 1
            #expect(try await submit(revoke).0 == .ok)
            #expect(try await read(both).1["error"] as? String == "no_grant")

            // A transfer of the car revokes every grant.
            #expect(try await submit(grant(world, car, to: world.bob.address, ["vin"], nonce: nonce)).0 == .ok)
            nonce += 1
            let live = try #require(try await token(world.bob).1["token"] as? String)
            #expect(try await read(live).0 == .ok)
            let handover = world.transaction(by: world.alice, nonce: nonce) {
                $0.transferDevice.device = car.publicKey.rawRepresentation
                $0.transferDevice.newOwner = SigningKey().address.description
            }
            #expect(try await submit(handover).0 == .ok)
            #expect(try await read(live).1["error"] as? String == "no_grant")
            #expect(try await world.store.grants(device: car.publicKey).isEmpty)
            let emptied = try await client.execute(uri: "/v1/telemetry/\(car.address)/grants", method: .get)
            #expect(String(buffer: emptied.body) == "[]")
        }
        #expect(try await world.store.verifyLedger(rules: world.state.rules).problems.isEmpty)
    }
}
