import Core
import Foundation
import Logging

/// The device-side runtime: makes signed reports, queues them on disk, and forwards them to the
/// node with retry and exponential backoff, so nothing is lost while the node is down.
public struct DeviceAgent: Sendable {
    /// How an agent runs.
    public struct Configuration: Sendable {
        /// The device's kind.
        public var kind: DeviceKind
        /// The node.
        public var nodeURL: URL
        /// The state directory (queue and nonce).
        public var stateDirectory: String
        /// Seconds between heartbeats.
        public var heartbeatInterval: Double = 60
        /// Stop after this many heartbeats have been made and delivered; nil runs until cancelled.
        public var heartbeatCount: Int?
        /// The most reports sent in one batch.
        public var batchSize = 100
        /// The longest wait between retries, seconds.
        public var maxBackoff: Double = 30
        /// A report body sent after each heartbeat, through the same queue (so its nonce is in
        /// order with them), when it returns one: a storage node's announcement, say.
        public var status: (@Sendable () -> Report.OneOf_Body?)?
        /// Report bodies the device made since the last call (a dashcam's drive segments), queued
        /// in order with its heartbeats; called on every pass of the loop.
        public var outbox: (@Sendable () -> [Report.OneOf_Body])?
        /// Once it returns true and every queued report is delivered, the agent stops (a
        /// dashcam that has read its whole drive file, say).
        public var finished: (@Sendable () -> Bool)?

        /// A configuration with defaults.
        public init(kind: DeviceKind, nodeURL: URL, stateDirectory: String) {
            self.kind = kind
            self.nodeURL = nodeURL
            self.stateDirectory = stateDirectory
        }
    }

    /// The agent's software version, sent in heartbeats.
    public static let version = "depin-agent/0.1.0"

    private let key: SigningKey
    private let configuration: Configuration
    private let queue: ReportQueue
    private let client: NodeClient
    private let logger: Logger

    /// An agent for the device holding `key`.
    public init(key: SigningKey, configuration: Configuration, logger: Logger) throws {
        self.key = key
        self.configuration = configuration
        self.queue = try ReportQueue(directory: configuration.stateDirectory)
        self.client = NodeClient(baseURL: configuration.nodeURL, timeout: 5)
        self.logger = logger
    }

    /// Makes, signs and durably queues a heartbeat.
    public func queueHeartbeat(uptimeSeconds: UInt64) throws -> Report {
        var report = Report()
        report.nonce = try queue.nextNonce()
        report.timestampMs = Int64(Date().timeIntervalSince1970 * 1000)
        var heartbeat = Heartbeat()
        heartbeat.uptimeS = uptimeSeconds
        heartbeat.agentVersion = Self.version
        report.heartbeat = heartbeat
        report.sign(with: key)
        try queue.enqueue(report)
        return report
    }

    /// Makes, signs and durably queues a report with `body`.
    func queueStatus(_ body: Report.OneOf_Body) throws {
        var report = Report()
        report.nonce = try queue.nextNonce()
        report.timestampMs = Int64(Date().timeIntervalSince1970 * 1000)
        report.body = body
        report.sign(with: key)
        try queue.enqueue(report)
    }

    /// Runs until cancelled, or until `heartbeatCount` heartbeats are made and the queue is empty.
    public func run() async throws {
        let started = Date()
        var made = 0
        var nextHeartbeat = Date()
        var backoff = 0.5
        var retryAt = Date.distantPast
        logger.info(
            "agent started",
            metadata: ["device": "\(key.address)", "kind": "\(configuration.kind.name)", "node": "\(configuration.nodeURL)"])
        while !Task.isCancelled {
            let now = Date()
            // Read before the outbox is drained, so nothing made before it said so is left behind.
            let finished = configuration.finished?() ?? false
            if configuration.heartbeatCount.map({ made < $0 }) ?? true, now >= nextHeartbeat {
                _ = try queueHeartbeat(uptimeSeconds: UInt64(now.timeIntervalSince(started)))
                if let body = configuration.status?() { try queueStatus(body) }
                made += 1
                nextHeartbeat = now.addingTimeInterval(configuration.heartbeatInterval)
            }
            for body in configuration.outbox?() ?? [] { try queueStatus(body) }
            if now >= retryAt, try queue.count() > 0 {
                if await deliverOnce() {
                    backoff = 0.5
                } else {
                    retryAt = Date().addingTimeInterval(backoff)
                    logger.warning("node unreachable; reports kept on disk", metadata: ["retry_in_s": "\(backoff)"])
                    backoff = min(backoff * 2, configuration.maxBackoff)
                }
            }
            if let limit = configuration.heartbeatCount, made >= limit, try queue.count() == 0 {
                logger.info("agent finished", metadata: ["heartbeats": "\(made)"])
                return
            }
            if finished, try queue.count() == 0 {
                logger.info("agent finished: everything made is delivered", metadata: ["heartbeats": "\(made)"])
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends one batch from the queue; false when the node could not take it now.
    @discardableResult
    public func deliverOnce() async -> Bool {
        do {
            let reports = try queue.pending(limit: configuration.batchSize)
            guard !reports.isEmpty else { return true }
            var batch = ReportBatch()
            batch.reports = reports
            let reply = try await client.post("/v1/reports/batch", body: batch.canonicalBytes)
            guard reply.status == 200 else {
                logger.warning("batch refused", metadata: ["status": "\(reply.status)", "error": "\(reply.errorCode ?? "")"])
                return false
            }
            let results = try JSONDecoder().decode(BatchReply.self, from: reply.body).results
            var retryLater = false
            for result in results where result.index < reports.count {
                let report = reports[result.index]
                switch (result.status, result.error) {
                case ("accepted", _), ("rejected", "replayed_nonce"?):
                    // A replay verdict means an earlier attempt was stored but its answer lost.
                    try queue.remove(nonce: report.nonce)
                case ("rejected", "unknown_device"?):
                    retryLater = true
                default:
                    logger.error(
                        "report refused for good; dropped",
                        metadata: ["nonce": "\(report.nonce)", "error": "\(result.error ?? "")", "message": "\(result.message ?? "")"])
                    try queue.remove(nonce: report.nonce)
                }
            }
            return !retryLater
        } catch {
            return false
        }
    }

    struct BatchReply: Decodable {
        struct Result: Decodable {
            var index: Int
            var status: String
            var error: String?
            var message: String?
        }

        var results: [Result]
    }
}
