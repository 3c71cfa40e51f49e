import Agent
import Core
import Foundation
import Logging
import Testing

@Suite struct ReportQueueTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("depin-agent-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func queuedReportsAndNoncesSurviveARestart() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = SigningKey()
        let configuration = DeviceAgent.Configuration(
            kind: .meter, nodeURL: URL(string: "http://127.0.0.1:9")!, stateDirectory: directory)
        let agent = try DeviceAgent(key: key, configuration: configuration, logger: Logger(label: "test"))
        let first = try agent.queueHeartbeat(uptimeSeconds: 1)
        let second = try agent.queueHeartbeat(uptimeSeconds: 2)
        #expect(first.nonce == 1)
        #expect(second.nonce == 2)
        // A new process on the same state directory sees the queue and goes on counting.
        let restarted = try DeviceAgent(key: key, configuration: configuration, logger: Logger(label: "test"))
        let queue = try ReportQueue(directory: directory)
        #expect(try queue.pending().map(\.nonce) == [1, 2])
        #expect(try queue.pending().allSatisfy { (try? $0.verifySignature()) == key.publicKey })
        #expect(try restarted.queueHeartbeat(uptimeSeconds: 3).nonce == 3)
        try queue.remove(nonce: 1)
        #expect(try queue.pending().map(\.nonce) == [2, 3])
    }

    @Test func anUnreachableNodeKeepsEveryReport() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let configuration = DeviceAgent.Configuration(
            kind: .meter, nodeURL: URL(string: "http://127.0.0.1:9")!, stateDirectory: directory)
        let agent = try DeviceAgent(key: SigningKey(), configuration: configuration, logger: Logger(label: "test"))
        _ = try agent.queueHeartbeat(uptimeSeconds: 1)
        #expect(await agent.deliverOnce() == false)
        #expect(try ReportQueue(directory: directory).count() == 1)
    }
}
