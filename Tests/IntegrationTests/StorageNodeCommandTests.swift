import Core
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `depin agent storage-node` as an operator runs it: it needs a capacity, serves pieces over
/// HTTP on the port it reports, keeps them across a restart, and stops cleanly on SIGTERM.
@Suite struct StorageNodeCommandTests {
    /// A port below the ephemeral range (32768 and up here), so that a storage node listening on
    /// it cannot take the port another test reserved with `IntegrationWorld.freePort()` or a
    /// client connection's: it was free when tried.
    static func quietPort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_000)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            if bound { return port }
        }
        throw HarnessError("no free port below the ephemeral range")
    }

    func request(_ url: String, method: String = "GET", body: Data? = nil, order: String? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let order { request.setValue(order, forHTTPHeaderField: "X-Depin-Order") }
        request.httpBody = body
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test func aStorageNodeServesAndKeepsPieces() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-sn-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let disk = try DepinBinary.ok(["keys", "new", "--out", "disk.key"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        let orderer = try DepinBinary.ok(["keys", "new", "--out", "orderer.key"], in: directory)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var arguments = [
            "agent", "storage-node", "--key", "disk.key", "--state-dir", "disk", "--node", "http://127.0.0.1:9", "--interval", "60",
        ]
        let refused = try DepinBinary.run(arguments, in: directory)
        #expect(refused.status != 0 && refused.stderr.contains("--capacity"))
        #expect(try DepinBinary.run(arguments + ["--capacity", "lots"], in: directory).status != 0)
        #expect(try DepinBinary.run(arguments + ["--capacity", "1MB"], in: directory).stderr.contains("--orderer"))
        arguments += ["--orderer", orderer]

        func start() async throws -> (Process, String) {
            try? FileManager.default.removeItem(atPath: directory + "/disk/storage.port")
            let process = try DepinBinary.start(
                arguments + ["--capacity", "1MB", "--port", "\(try Self.quietPort())"], in: directory, log: directory + "/disk.log")
            let port = try await DemoCommandTests.waitFor(seconds: 30) {
                (try? String(contentsOfFile: directory + "/disk/storage.port", encoding: .utf8))
                    .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            return (process, "http://127.0.0.1:\(port)")
        }
        var (process, url) = try await start()
        let piece = Data((0..<3_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let id = SHA256Digest.hex(piece)
        try piece.write(to: URL(fileURLWithPath: directory + "/piece.bin"))
        let order = try DepinBinary.ok(
            ["storage", "order", "--key", "orderer.key", "--storage-node", disk, "--piece", "piece.bin"], in: directory)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await request(url + "/pieces/\(id)", method: "PUT", body: piece).0 == 401)
        let (stored, _) = try await request(url + "/pieces/\(id)", method: "PUT", body: piece, order: order)
        #expect(stored == 201)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        (process, url) = try await start()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let (status, body) = try await request(url + "/pieces/\(id)")
        #expect(status == 200 && body == piece)
        let (_, usage) = try await request(url + "/status")
        let counted = try JSONSerialization.jsonObject(with: usage) as? [String: Any]
        #expect(counted?["used_bytes"] as? Int == 3_000 && counted?["capacity_bytes"] as? Int == 1_000_000)
    }

    /// Six storage nodes: a file put as 4-of-6 pieces comes back intact with one node dead and
    /// one piece corrupted on disk (found by its hash and passed over); with a second node dead
    /// too, a segment has three good pieces of the four needed, and the get says so.
    @Test func aFileSurvivesADeadNodeAndACorruptPiece() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-sf-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let orderer = try DepinBinary.ok(["keys", "new", "--out", "orderer.key"], in: directory)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var nodes: [(Process, String)] = []
        defer { for (process, _) in nodes where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        for index in 0..<6 {
            _ = try DepinBinary.ok(["keys", "new", "--out", "disk\(index).key"], in: directory)
            let process = try DepinBinary.start(
                [
                    "agent", "storage-node", "--key", "disk\(index).key", "--state-dir", "disk\(index)", "--capacity", "10MB",
                    "--orderer", orderer, "--node", "http://127.0.0.1:9", "--interval", "60", "--port", "\(try Self.quietPort())",
                ], in: directory, log: directory + "/disk\(index).log")
            let port = try await DemoCommandTests.waitFor(seconds: 30) {
                (try? String(contentsOfFile: directory + "/disk\(index)/storage.port", encoding: .utf8))
                    .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            nodes.append((process, "http://127.0.0.1:\(port)"))
        }
        var generator = SystemRandomNumberGenerator()
        let file = Data((0..<1_500_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try file.write(to: URL(fileURLWithPath: directory + "/file.bin"))
        let urls = nodes.map(\.1).joined(separator: ",")
        let stored = try DepinBinary.ok(
            ["storage", "put", "file.bin", "--nodes", urls, "--k", "4", "--n", "6", "--segment-mib", "1", "--key", "orderer.key"],
            in: directory)
        #expect(stored.contains("as 2 segments of 6 pieces"), "\(stored)")
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/file.bin.manifest.json")))
                as? [String: Any])
        let segments = try #require(manifest["segments"] as? [[String: Any]])

        // One node dies; one piece of segment 0 on a live node is corrupted on its disk.
        kill(nodes[0].0.processIdentifier, SIGKILL)
        let pieces = try #require(segments[0]["pieces"] as? [[String: Any]])
        let victim = try #require(pieces.first { $0["node_url"] as? String != nodes[0].1 })
        let holder = try #require(nodes.firstIndex { $0.1 == victim["node_url"] as? String })
        let id = try #require(victim["id"] as? String)
        let path = directory + "/disk\(holder)/pieces/\(id.prefix(2))/\(id)"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        let got = try DepinBinary.ok(["storage", "get", "file.bin.manifest.json", "--out", "back.bin"], in: directory)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/back.bin")) == file)
        #expect(got.contains("corrupt 1") && !got.contains("unreachable 0"), "\(got)")

        // A second node dies: segment 0 is down to three good pieces.
        let second = (1..<6).first { $0 != holder }!
        kill(nodes[second].0.processIdentifier, SIGKILL)
        let failed = try DepinBinary.run(["storage", "get", "file.bin.manifest.json", "--out", "again.bin"], in: directory)
        #expect(failed.status != 0 && failed.stderr.contains("segment 0 has 3 good pieces of the 4 needed"), "\(failed.stderr)")
    }

    /// A storage node onboarded on a real node announces itself with its heartbeats: the node
    /// lists its URL and room, and the room it reports falls as it takes pieces.
    @Test func aStorageNodeAnnouncesItselfToTheNetwork() async throws {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("keys", "new", "--out", "maker.key")
        let maker = try world.depin("keys", "show", "--key", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let orderer = try world.depin("keys", "new", "--out", "orderer.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("init", "--token", "Storage Token", "--symbol", "STO", "--maker", maker, "--allocate", "\(owner)=1000000")
        try await world.startNode()
        _ = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "disk.key", "--maker-key", "maker.key", "--kind",
            "storage-node")
        let disk = try world.depin("keys", "show", "--key", "disk.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let agent = try DepinBinary.start(
            [
                "agent", "storage-node", "--key", "disk.key", "--state-dir", "disk", "--capacity", "2MB", "--orderer", orderer,
                "--interval", "0.5", "--port", "\(try Self.quietPort())",
            ], in: world.directory, log: world.directory + "/disk.log", environment: world.environment)
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }
        let listed = try await DemoCommandTests.waitFor(seconds: 30) { () async -> [String: Any]? in
            let nodes = try? await world.json("/v1/storage/nodes") as? [[String: Any]]
            return nodes?.first { $0["device"] as? String == disk }
        }
        let url = try #require(listed["url"] as? String)
        #expect(url.hasPrefix("http://127.0.0.1:") && listed["capacity_bytes"] as? Int == 2_000_000 && listed["used_bytes"] as? Int == 0)

        // It takes a piece; its next announcements say so.
        let piece = Data(repeating: 7, count: 1_000)
        try piece.write(to: URL(fileURLWithPath: world.directory + "/piece.bin"))
        let order = try world.depin("storage", "order", "--key", "orderer.key", "--storage-node", disk, "--piece", "piece.bin")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await request(url + "/pieces/\(SHA256Digest.hex(piece))", method: "PUT", body: piece, order: order).0 == 201)
        _ = try await DemoCommandTests.waitFor(seconds: 30) { () async -> Bool? in
            let nodes = try? await world.json("/v1/storage/nodes") as? [[String: Any]]
            return nodes?.first { $0["device"] as? String == disk }?["used_bytes"] as? Int == 1_000 ? true : nil
        }
        // A put finds its storage nodes through the network node's directory.
        try Data(repeating: 3, count: 5_000).write(to: URL(fileURLWithPath: world.directory + "/small.bin"))
        let stored = try world.depin("storage", "put", "small.bin", "--k", "1", "--n", "1", "--key", "orderer.key")
        #expect(stored.contains("as 1 segments of 1 pieces"), "\(stored)")
        #expect(try world.depin("storage", "get", "small.bin.manifest.json", "--out", "small.back").contains("corrupt 0"))
    }
}
