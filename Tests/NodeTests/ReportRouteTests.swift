import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import NIOCore
import Store
import SwiftProtobuf
import Testing

@Suite struct ReportRouteTests {
    /// A world with one onboarded hotspot.
    func world(maxBodyBytes: Int = 1 << 20) async throws -> (NodeWorld, SigningKey) {
        let world = try await NodeWorld(maxBodyBytes: maxBodyBytes)
        let hotspot = SigningKey()
        _ = try await world.store.apply(world.onboarding(hotspot), rules: world.state.rules, nowMs: world.nowMs)
        return (world, hotspot)
    }

    func expectError(
        _ client: some TestClientProtocol, _ body: ByteBuffer, headers: HTTPFields = binary, uri: String = "/v1/reports",
        status: HTTPResponse.Status, code: String
    ) async throws {
        try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
            #expect(response.status == status, "\(code)")
            let json = try object(response.body)
            #expect(json["error"] as? String == code)
            #expect((json["message"] as? String)?.isEmpty == false)
        }
    }

    @Test func acceptsBinaryAndJSONReportsDurably() async throws {
        let (world, hotspot) = try await world()
        try await world.app.test(.router) { client in
            let first = world.heartbeat(hotspot, nonce: 1)
            try await client.execute(
                uri: "/v1/reports", method: .post, headers: binary, body: protobuf(first.canonicalBytes)
            ) { response in
                #expect(response.status == .accepted)
                let json = try object(response.body)
                #expect(json["status"] as? String == "accepted")
            }
            let second = try world.heartbeat(hotspot, nonce: 2).jsonString()
            try await client.execute(
                uri: "/v1/reports", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: second)
            ) { response in
                #expect(response.status == .accepted)
            }
        }
        let stored = try await world.store.reports(device: hotspot.publicKey, limit: 10)
        #expect(stored.map(\.nonce) == [2, 1])
        #expect(stored.last?.bytes == world.heartbeat(hotspot, nonce: 1).canonicalBytes)
        #expect(stored.first?.epoch == 24)
    }

    @Test func aBatchGetsAVerdictPerReport() async throws {
        let (world, hotspot) = try await world()
        var batch = ReportBatch()
        var forged = world.heartbeat(hotspot, nonce: 3)
        forged.heartbeat.uptimeS = 1
        batch.reports = [
            world.heartbeat(hotspot, nonce: 1), world.heartbeat(hotspot, nonce: 2), world.heartbeat(hotspot, nonce: 2),
            forged, world.heartbeat(SigningKey(), nonce: 1), world.heartbeat(hotspot, nonce: 9, at: world.nowMs + 3_600_000),
        ]
        let batchBytes = batch.canonicalBytes
        try await world.app.test(.router) { client in
            try await client.execute(
                uri: "/v1/reports/batch", method: .post, headers: binary, body: protobuf(batchBytes)
            ) { response in
                #expect(response.status == .ok)
                let json = try object(response.body)
                #expect(json["accepted"] as? Int == 2)
                #expect(json["rejected"] as? Int == 4)
                let results = try #require(json["results"] as? [[String: Any]])
                #expect(results.map { $0["error"] as? String ?? "ok" } == [
                    "ok", "ok", "replayed_nonce", "bad_signature", "unknown_device", "timestamp_in_future",
                ])
            }
        }
        #expect(try await world.store.counts().reports == 2)
    }

    @Test func refusesBadReportsWithACodeAndStoresNothing() async throws {
        let (world, hotspot) = try await world(maxBodyBytes: 4_096)
        var forged = world.heartbeat(hotspot, nonce: 1)
        forged.nonce = 2
        var wrongKey = world.heartbeat(hotspot, nonce: 1)
        wrongKey.device = Data(count: 5)
        var noBody = Report()
        noBody.nonce = 1
        noBody.timestampMs = world.nowMs
        noBody.sign(with: hotspot)
        var offGlobe = world.heartbeat(hotspot, nonce: 1)
        offGlobe.heartbeat.location.lat = 91
        offGlobe.sign(with: hotspot)
        let offGlobeBytes = offGlobe.canonicalBytes
        var chatty = world.heartbeat(hotspot, nonce: 1)
        chatty.heartbeat.agentVersion = String(repeating: "v", count: 65)
        chatty.sign(with: hotspot)
        let chattyBytes = chatty.canonicalBytes
        let (forgedBytes, wrongKeyBytes, noBodyBytes) = (forged.canonicalBytes, wrongKey.canonicalBytes, noBody.canonicalBytes)
        try await world.app.test(.router) { client in
            try await expectError(client, ByteBuffer(bytes: [0xff, 0xff, 0xff]), status: .badRequest, code: "malformed_report")
            try await expectError(
                client, ByteBuffer(string: "{\"nonce\": \"x\"}"), headers: [.contentType: "application/json"],
                status: .badRequest, code: "malformed_report")
            try await expectError(
                client, ByteBuffer(string: "hello"), headers: [.contentType: "text/plain"],
                status: .unsupportedMediaType, code: "unsupported_media_type")
            try await expectError(client, protobuf(forgedBytes), status: .unauthorized, code: "bad_signature")
            try await expectError(client, protobuf(wrongKeyBytes), status: .badRequest, code: "malformed_report")
            try await expectError(
                client, protobuf(offGlobeBytes), status: .unprocessableContent, code: "invalid_location")
            try await expectError(client, protobuf(chattyBytes), status: .badRequest, code: "agent_version_too_long")
            try await expectError(client, protobuf(noBodyBytes), status: .badRequest, code: "unknown_report_type")
            try await expectError(
                client, protobuf(world.heartbeat(SigningKey(), nonce: 1).canonicalBytes), status: .forbidden,
                code: "unknown_device")
            try await expectError(
                client, protobuf(world.heartbeat(hotspot, nonce: 1, at: world.nowMs + 301_000).canonicalBytes),
                status: .unprocessableContent, code: "timestamp_in_future")
            try await expectError(
                client, protobuf(world.heartbeat(hotspot, nonce: 1, at: world.nowMs - 3_601_000).canonicalBytes),
                status: .unprocessableContent, code: "timestamp_too_old")
            try await expectError(
                client, ByteBuffer(bytes: [UInt8](repeating: 0x0a, count: 5_000)), status: .contentTooLarge,
                code: "body_too_large")
            try await expectError(
                client, protobuf(ReportBatch().canonicalBytes), uri: "/v1/reports/batch", status: .badRequest,
                code: "empty_batch")
        }
        #expect(try await world.store.counts().reports == 0)
    }

    @Test func refusesAReplayedNonce() async throws {
        let (world, hotspot) = try await world()
        let report = world.heartbeat(hotspot, nonce: 5)
        try await world.app.test(.router) { client in
            try await client.execute(
                uri: "/v1/reports", method: .post, headers: binary, body: protobuf(report.canonicalBytes)
            ) { #expect($0.status == .accepted) }
            try await expectError(client, protobuf(report.canonicalBytes), status: .conflict, code: "replayed_nonce")
            try await expectError(
                client, protobuf(world.heartbeat(hotspot, nonce: 4).canonicalBytes), status: .conflict,
                code: "replayed_nonce")
        }
        #expect(try await world.store.counts().reports == 1)
    }

    @Test func refusesAReportTypeTheDeviceKindMayNotSend() async throws {
        let (initialWorld, hotspot) = try await world()
        var mutableWorld = initialWorld
        let meter = SigningKey()
        _ = try await mutableWorld.store.apply(
            mutableWorld.onboarding(meter, kind: .meter, nonce: 2), rules: mutableWorld.state.rules,
            nowMs: mutableWorld.nowMs)
        mutableWorld.state.admission.allowedKinds["heartbeat"] = [.hotspot]
        let world = mutableWorld
        try await world.app.test(.router) { client in
            try await expectError(
                client, protobuf(world.heartbeat(meter, nonce: 1).canonicalBytes), status: .forbidden,
                code: "kind_not_allowed")
            try await client.execute(
                uri: "/v1/reports", method: .post, headers: binary,
                body: protobuf(world.heartbeat(hotspot, nonce: 1).canonicalBytes)
            ) { #expect($0.status == .accepted) }
        }
        #expect(try await world.store.counts().reports == 1)
    }
}
