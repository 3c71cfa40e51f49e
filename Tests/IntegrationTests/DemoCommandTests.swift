import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `depin demo` as a user runs it: it comes up, writes demo.json, its hotspots earn, every
/// epoch mints exactly its emission, `depin epoch verify` agrees, the explorer's pages hold up in
/// headless Chromium, and Ctrl-C stops it cleanly.
@Suite(.serialized) struct DemoCommandTests {
    @Test func theDemoRunsEpochsThatVerifyAndStopsOnInterrupt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-demo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let demo = try DepinBinary.start(
            ["demo", "--data-dir", directory, "--port", "0", "--epoch-seconds", "3", "--devices", "40", "--seed", "5"],
            in: directory, log: directory + "/demo.log")
        defer { if demo.isRunning { kill(demo.processIdentifier, SIGKILL) } }

        let description = try await Self.waitFor(seconds: 120) {
            (try? Data(contentsOf: URL(fileURLWithPath: directory + "/demo.json")))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
        let node = try #require(description["node"] as? String)
        let accounts = try #require(description["accounts"] as? [String: Any])
        #expect(accounts["router"] != nil && accounts["owner"] != nil)
        #expect((description["coverage"] as? [String: Any])?["hotspots"] as? Int == 40)

        // Three closed epochs in which the coverage pool paid hotspots.
        let paid = try await Self.waitFor(seconds: 120) { () -> [[String: Any]]? in
            guard let list = await Self.json(node + "/v1/epochs?limit=50") as? [[String: Any]] else { return nil }
            var earning: [[String: Any]] = []
            for listed in list {
                guard let epoch = listed["epoch"] as? Int,
                    let detail = await Self.json(node + "/v1/epochs/\(epoch)") as? [String: Any],
                    let pools = detail["pools"] as? [[String: Any]],
                    let coverage = pools.first(where: { $0["name"] as? String == "coverage" }),
                    let amount = coverage["paid"] as? String, amount != "0"
                else { continue }
                earning.append(detail)
            }
            return earning.count >= 3 ? earning : nil
        }
        for epoch in paid {
            #expect(epoch["minted"] as? String == epoch["emission"] as? String, "every epoch mints exactly its emission")
            #expect(epoch["root"] as? String != "0x" + String(repeating: "0", count: 64))
            let number = try #require(epoch["epoch"] as? Int)
            let verified = try DepinBinary.ok(
                ["epoch", "verify", "\(number)", "--node", node, "--genesis", directory + "/network.toml"], in: directory)
            #expect(verified.contains("epoch \(number) verifies"))
        }
        let hotspot = try #require(((description["coverage"] as? [String: Any])?["example_hotspots"] as? [String])?.first)
        let rewards = try #require(await Self.json(node + "/v1/devices/\(hotspot)/rewards") as? [[String: Any]])
        #expect(rewards.contains { ($0["explanation"] as? String)?.contains("coverage pool") == true })

        // With Blender installed, the demo's render node renders the owner's job to the end.
        if RenderNetworkTests.hasBlender {
            let job = try #require((description["rendering"] as? [String: Any])?["job"] as? String)
            let finished: [String: Any]
            do {
                finished = try await Self.waitFor(seconds: 300) { () -> [String: Any]? in
                    let view = await Self.json(node + "/v1/render/jobs/\(job)") as? [String: Any]
                    let details = view?["job"] as? [String: Any]
                    return details?["state"] as? String == "done" ? details : nil
                }
            } catch {
                let log = (try? String(contentsOfFile: directory + "/demo.log", encoding: .utf8)) ?? ""
                let view = await Self.json(node + "/v1/render/jobs/\(job)")
                let nodes = await Self.json(node + "/v1/render/nodes")
                Issue.record("the render job did not finish: \(String(describing: view)) nodes \(String(describing: nodes)) log \(log.suffix(3000))")
                throw error
            }
            #expect((finished["frames"] as? [String: Int])?["done"] == 4 && finished["spent"] as? String != "0")
        }

        // The demo's S3 gateway takes a file from the aws CLI with the key pair in demo.json.
        let s3 = try #require(description["s3"] as? [String: Any])
        let endpoint = try #require(s3["endpoint"] as? String)
        let environment = [
            "AWS_ACCESS_KEY_ID": try #require(s3["access_key_id"] as? String),
            "AWS_SECRET_ACCESS_KEY": try #require(s3["secret_access_key"] as? String), "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
        #expect((s3["storage_nodes"] as? [String])?.count == 4)
        try Data(repeating: 42, count: 300_000).write(to: URL(fileURLWithPath: directory + "/hello.bin"))
        _ = try S3World.run(["aws", "--endpoint-url", endpoint, "s3", "mb", "s3://demo"], in: directory, environment: environment)
        let stored = try await Self.waitFor(seconds: 60) { () -> Bool? in
            let put = try? S3World.run(
                ["aws", "--endpoint-url", endpoint, "s3", "cp", "hello.bin", "s3://demo/hello.bin", "--only-show-errors"], in: directory,
                environment: environment)
            return put?.status == 0 ? true : nil
        }
        #expect(stored)
        let listed = try S3World.run(["aws", "--endpoint-url", endpoint, "s3", "ls", "s3://demo"], in: directory, environment: environment)
        #expect(listed.stdout.contains("300000 hello.bin"), "\(listed.stdout) \(listed.stderr)")

        // The demo's storage customer keeps and reads objects: the storage nodes that hold and
        // serve them, once they pass an audit, earn shares of the storage pool.
        let disks = try #require(s3["storage_nodes"] as? [String])
        let earned = try await Self.waitFor(seconds: 120) { () async -> String? in
            for disk in disks {
                let rewards = await Self.json(node + "/v1/devices/\(disk)/rewards") as? [[String: Any]] ?? []
                let paid = rewards.first { (($0["reward"] as? [String: Any])?["shares"] as? String).map { $0 != "0" } ?? false }
                if let paid { return paid["explanation"] as? String ?? "" }
            }
            return nil
        }
        #expect(earned.contains("in the storage pool"), "\(earned)")

        // The demo's dashcam drives Market Street out and back: it maps road cells and earns
        // shares of the mapping pool.
        let devices = try #require(description["devices"] as? [[String: Any]])
        let dashcam = try #require(devices.first { $0["kind"] as? String == "dashcam" }?["id"] as? String)
        let mapped = try await Self.waitFor(seconds: 120) { () async -> String? in
            let rewards = await Self.json(node + "/v1/devices/\(dashcam)/rewards") as? [[String: Any]] ?? []
            let paid = rewards.first { (($0["reward"] as? [String: Any])?["shares"] as? String).map { $0 != "0" } ?? false }
            return paid.map { $0["explanation"] as? String ?? "" }
        }
        #expect(mapped.contains("in the mapping pool"), "\(mapped)")
        // The demo's map customer buys coverage of the street: the dashcam earns usage for it.
        let sold = try await Self.waitFor(seconds: 120) { () async -> String? in
            let rewards = await Self.json(node + "/v1/devices/\(dashcam)/rewards") as? [[String: Any]] ?? []
            return rewards.compactMap { ($0["reward"] as? [String: Any])?["usage_credits"] as? String }.first { $0 != "0" }
        }
        #expect(UInt64(sold) ?? 0 > 0)
        // The demo's car and solar meter send telemetry batches and earn from the telemetry pool.
        for kind in ["vehicle", "meter"] {
            let device = try #require(devices.first { $0["kind"] as? String == kind }?["id"] as? String)
            let earned = try await Self.waitFor(seconds: 120) { () async -> String? in
                let rewards = await Self.json(node + "/v1/devices/\(device)/rewards") as? [[String: Any]] ?? []
                let paid = rewards.first { (($0["reward"] as? [String: Any])?["shares"] as? String).map { $0 != "0" } ?? false }
                return paid.map { $0["explanation"] as? String ?? "" }
            }
            #expect(earned.contains("in the telemetry pool"), "\(kind): \(earned)")
        }

        // The explorer, in a real browser: every page, its numbers against its JSON twin, no
        // console errors; screenshots under .build/test-output/explorer.
        let screenshots = DepinBinary.root.appendingPathComponent(".build/test-output/explorer").path
        let browser = try DepinBinary.capture(
            "/usr/bin/env",
            ["python3", DepinBinary.root.appendingPathComponent("scripts/explorer-browser-test.py").path, node, screenshots, hotspot],
            in: directory)
        let printed = browser.stdout + browser.stderr
        #expect(browser.status == 0, "\(printed)")
        #expect(printed.contains("explorer browser test passed"))
        if RenderNetworkTests.hasBlender { #expect(printed.contains("ok /markets/rendering (1 nodes, 1 jobs)"), "\(printed)") }

        kill(demo.processIdentifier, SIGINT)
        let stopped = try await Self.waitFor(seconds: 30) { demo.isRunning ? nil : true }
        #expect(stopped)
        let stoppedLog = (try? String(contentsOfFile: directory + "/demo.log", encoding: .utf8)) ?? ""
        #expect(demo.terminationStatus == 0, "the demo stopped with \(demo.terminationStatus): \(stoppedLog.suffix(3000))")
        let log = (try? String(contentsOfFile: directory + "/demo.log", encoding: .utf8)) ?? ""
        #expect(log.contains("closed: emission"))
    }

    static func json(_ url: String) async -> Any? {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 10
        guard let (data, _) = try? await URLSession.shared.data(for: request) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }

    static func waitFor<T>(seconds: Double, _ probe: () async -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = await probe() { return value }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw HarnessError("timed out after \(seconds) s")
    }
}
