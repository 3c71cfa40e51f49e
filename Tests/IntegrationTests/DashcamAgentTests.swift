import Core
import Foundation
import Testing

/// `depin agent dashcam` as a driver runs it: a drive along a real street, read from a GPX file
/// or served live by gpsfake through gpsd, comes out as signed drive segments the node accepts,
/// with the frames' images in the node's content store; a faked, teleporting track is refused
/// with its reason code. scripts/drive-fixture.py writes the drives.
@Suite(.serialized) struct DashcamAgentTests {
    static var hasGpsfake: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/gpsfake") }

    /// A node, an onboarded dashcam and a folder of camera images.
    func world(genesis extra: [String] = []) async throws -> (IntegrationWorld, String) {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("keys", "new", "--out", "maker.key")
        let maker = try world.depin("keys", "show", "--key", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try DepinBinary.ok(
            ["init", "--token", "Map Token", "--symbol", "MAP", "--maker", maker, "--allocate", "\(owner)=1000000"] + extra,
            in: world.directory, environment: world.environment)
        try await world.startNode()
        _ = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "cam.key", "--maker-key", "maker.key", "--kind", "dashcam")
        let camera = try world.depin("keys", "show", "--key", "cam.key").trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createDirectory(atPath: world.directory + "/frames", withIntermediateDirectories: true)
        for index in 0..<600 {
            try Data("JPEG stand-in \(index) \(UUID())".utf8).write(
                to: URL(fileURLWithPath: world.directory + String(format: "/frames/%05d.jpg", index)))
        }
        return (world, camera)
    }

    func drive(_ world: IntegrationWorld, _ street: String, _ form: String, start: Int, extra: [String] = []) throws -> String {
        let script = DepinBinary.root.appendingPathComponent("scripts/drive-fixture.py").path
        let output = try DepinBinary.capture(
            "/usr/bin/env", ["python3", script, street, form, "12", "\(start)"] + extra, in: world.directory)
        #expect(output.status == 0, "\(output.stderr)")
        let path = world.directory + "/\(street)\(extra.joined()).\(form)"
        try output.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func segments(_ world: IntegrationWorld, of camera: String) async throws -> [[String: Any]] {
        let reports = try await world.json("/v1/devices/\(camera)/reports?limit=1000") as? [[String: Any]] ?? []
        return reports.filter { $0["type"] as? String == "drive_segment" }
    }

    @Test func aGPXDriveBecomesAcceptedSegmentsAndAFakeIsRefused() async throws {
        let (world, camera) = try await world()
        let now = Int(Date().timeIntervalSince1970)
        let gpx = try drive(world, "market", "gpx", start: now - 600)
        let run = try DepinBinary.run(
            ["agent", "dashcam", "--key", "cam.key", "--state-dir", "cam", "--gpx", gpx, "--frames-from", "frames", "--interval", "60"],
            in: world.directory, environment: world.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("drive read") && !run.stderr.contains("refused"), "\(run.stderr)")
        let accepted = try await segments(world, of: camera)
        // About 3 km at 12 m/s, less 100 m at each end, in segments of a minute.
        #expect(accepted.count >= 3, "\(accepted)")
        // Its frames' images are in the content store.
        let content = try await world.get("/v1/content/" + SHA256Digest.hex(try Data(contentsOf: URL(fileURLWithPath: world.directory + "/frames/00100.jpg"))))
        #expect(content.0 == 200)

        // A track that jumps 4 km sideways halfway: refused, with its reason code, and not stored.
        let fake = try drive(world, "valencia", "gpx", start: now - 300, extra: ["--teleport"])
        let faked = try DepinBinary.run(
            ["agent", "dashcam", "--key", "cam.key", "--state-dir", "cam", "--gpx", fake, "--frames-from", "frames", "--interval", "60"],
            in: world.directory, environment: world.environment)
        #expect(faked.status == 0 && faked.stderr.contains("drive_teleport"), "\(faked.stderr)")

        // Bad options are refused before anything runs.
        let neither = try DepinBinary.run(["agent", "dashcam", "--key", "cam.key"], in: world.directory, environment: world.environment)
        #expect(neither.status != 0 && neither.stderr.contains("--gpx"))
        let zone = try DepinBinary.run(
            ["agent", "dashcam", "--key", "cam.key", "--gpx", gpx, "--privacy-zone", "91,0,10"], in: world.directory,
            environment: world.environment)
        #expect(zone.status != 0 && zone.stderr.contains("--privacy-zone"))
    }

    @Test(.enabled(if: DashcamAgentTests.hasGpsfake)) func gpsfakeServesALiveDriveThroughGpsd() async throws {
        let (world, camera) = try await world()
        let nmea = try drive(world, "valencia", "nmea", start: Int(Date().timeIntervalSince1970) - 300)
        let port = try IntegrationWorld.freePort()
        // The dashcam starts first, as at boot, and waits for gpsd.
        let agent = try DepinBinary.start(
            [
                "agent", "dashcam", "--key", "cam.key", "--state-dir", "cam", "--gpsd", "127.0.0.1:\(port)", "--frames-from", "frames",
                "--interval", "60", "--segment-seconds", "30",
            ], in: world.directory, log: world.directory + "/cam.log", environment: world.environment)
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }
        try await Task.sleep(for: .seconds(2))
        // gpsfake runs a real gpsd on the port and feeds it the log, a sentence every 0.01 s.
        let fake = try DepinBinary.start(
            ["-1", "-q", "-P", "\(port)", "-c", "0.01", nmea], in: world.directory, log: world.directory + "/gpsfake.log",
            executable: "/usr/bin/gpsfake")
        defer {
            // gpsfake outlived SIGTERM (and went on using a tenth of a core after the tests), and
            // the gpsd it starts outlives gpsfake: both are killed, the gpsd by its socket's name.
            if fake.isRunning { kill(fake.processIdentifier, SIGKILL) }
            _ = try? DepinBinary.capture(
                "/usr/bin/pkill", ["-KILL", "-f", "gpsfake-\(fake.processIdentifier).sock"], in: world.directory)
        }
        let accepted: [[String: Any]]
        do {
            accepted = try await DemoCommandTests.waitFor(seconds: 120) { () async -> [[String: Any]]? in
                let found = try? await segments(world, of: camera)
                return (found?.count ?? 0) >= 1 ? found : nil
            }
        } catch {
            let agentLog = (try? String(contentsOfFile: world.directory + "/cam.log", encoding: .utf8)) ?? ""
            let fakeLog = (try? String(contentsOfFile: world.directory + "/gpsfake.log", encoding: .utf8)) ?? ""
            Issue.record("no segment arrived; agent: \(agentLog.suffix(3000)) gpsfake: \(fakeLog.suffix(1000))")
            throw error
        }
        #expect(!accepted.isEmpty)
        let waited = (try? String(contentsOfFile: world.directory + "/cam.log", encoding: .utf8)) ?? ""
        #expect(waited.contains("gpsd is not reachable yet") && waited.contains("connected to gpsd"), "\(waited)")
        let log = (try? String(contentsOfFile: world.directory + "/cam.log", encoding: .utf8)) ?? ""
        #expect(!log.contains("refused"), "\(log)")
    }

    /// A customer's side, all through the CLI: a bounty posted and listed; after a drive's epoch
    /// closes, the region's progress, the paid coverage of a box as GeoJSON and a cell's frames.
    @Test func aMappedStreetIsSoldAndItsProgressShownThroughTheCLI() async throws {
        // Epoch 0 starts a minute ago: a genesis of this morning would leave the node thousands
        // of 15-second epochs to close first.
        let now = Int(Date().timeIntervalSince1970)
        let startSeconds = now - 60 - now % 15
        let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(startSeconds)))
        let (world, camera) = try await world(genesis: ["--epoch-seconds", "15", "--grace-seconds", "1", "--start", start])
        _ = try world.depin("wallet", "burn", "--key", "owner.key", "--amount", "500000")
        let created = try world.depin("storage", "access-key", "create", "--key", "owner.key", "--json")
        let key = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])
        let access = "\(key["access_key_id"] as! String):\(key["secret_access_key"] as! String)"
        let area = try world.depin("geo", "cell", "--res", "8", "37.7849", "-122.4073").trimmingCharacters(in: .whitespacesAndNewlines)
        let region = try world.depin("geo", "cell", "--res", "6", "37.7849", "-122.4073").trimmingCharacters(in: .whitespacesAndNewlines)
        let posted = try world.depin("map", "bounty", "--key", "owner.key", "--area", area, "--credits", "100", "--epochs", "2")
        #expect(posted.contains("bounty") && posted.contains(area), "\(posted)")
        #expect(try world.depin("map", "bounties").contains(area))
        let bad = try world.depinFails("map", "bounty", "--key", "owner.key", "--area", "not-a-cell", "--credits", "100")
        #expect(bad.stderr.contains("invalid_bounty"), "\(bad.stderr)")

        let gpx = try drive(world, "market", "gpx", start: now - 600)
        _ = try DepinBinary.ok(
            ["agent", "dashcam", "--key", "cam.key", "--state-dir", "cam", "--gpx", gpx, "--frames-from", "frames", "--interval", "60"],
            in: world.directory, environment: world.environment)
        #expect(try await segments(world, of: camera).count >= 3)
        // The segments are all in epochs up to the one running now (on a loaded machine the
        // upload can straddle two). Once that one closes, the region's map is all fresh: 100%, 3x.
        let settled = (Int(Date().timeIntervalSince1970) - startSeconds) / 15
        let table = try await DemoCommandTests.waitFor(seconds: 90) { () async -> String? in
            let out = (try? world.depin("map", "progress", region, "--epochs", "5")) ?? ""
            let closed = out.split(separator: "\n").contains { $0.hasPrefix("\(settled) ") && $0.contains("100.0%") }
            return closed ? out : nil
        }
        #expect(table.contains("3.000x"), "\(table)")
        let refused = try world.depinFails("map", "coverage", "--bbox", "-122.43,37.76,-122.38,37.80")
        #expect(refused.stderr.contains("--access-key"), "\(refused.stderr)")
        let summary = try world.depin(
            "map", "coverage", "--bbox", "-122.43,37.76,-122.38,37.80", "--access-key", access, "--out", "map.geojson")
        let geojson = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: world.directory + "/map.geojson"))) as? [String: Any])
        let features = try #require(geojson["features"] as? [[String: Any]])
        #expect(features.count > 50 && summary.contains("\(features.count) mapped cell(s)") && summary.contains("charged \(features.count) credits"), "\(summary)")
        let cell = try #require(features.first?["id"] as? String)
        let frames = try world.depin("map", "frames", "--cell", cell, "--access-key", access)
        #expect(frames.contains("mapped by \(camera)") && frames.contains("/v1/content/"), "\(frames)")
    }
}
