import Core
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `depin agent storage-node` as an operator runs it: it needs a capacity, serves pieces over
/// HTTP on the port it reports, keeps them across a restart, and stops cleanly on SIGTERM.
@Suite struct StorageNodeCommandTests {
    func request(_ url: String, method: String = "GET", body: Data? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test func aStorageNodeServesAndKeepsPieces() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-sn-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try DepinBinary.ok(["keys", "new", "--out", "disk.key"], in: directory)
        let arguments = [
            "agent", "storage-node", "--key", "disk.key", "--state-dir", "disk", "--node", "http://127.0.0.1:9", "--interval", "60",
        ]
        let refused = try DepinBinary.run(arguments, in: directory)
        #expect(refused.status != 0 && refused.stderr.contains("--capacity"))
        #expect(try DepinBinary.run(arguments + ["--capacity", "lots"], in: directory).status != 0)

        func start() async throws -> (Process, String) {
            try? FileManager.default.removeItem(atPath: directory + "/disk/storage.port")
            let process = try DepinBinary.start(arguments + ["--capacity", "1MB"], in: directory, log: directory + "/disk.log")
            let port = try await DemoCommandTests.waitFor(seconds: 30) {
                (try? String(contentsOfFile: directory + "/disk/storage.port", encoding: .utf8))
                    .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            return (process, "http://127.0.0.1:\(port)")
        }
        var (process, url) = try await start()
        let piece = Data((0..<3_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let id = SHA256Digest.hex(piece)
        let (stored, _) = try await request(url + "/pieces/\(id)", method: "PUT", body: piece)
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
}
