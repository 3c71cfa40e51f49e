import Core
import Foundation
import Simulation
import SwiftProtobuf

/// The ingest benchmark's load: signed heartbeat batches from `devices` hotspots (keys derived
/// from a seed, so the benchmark can register the same devices), made and signed before the
/// clock starts, then posted over `connections` loopback connections, each in order (a device
/// belongs to one connection, so its nonces arrive rising). Runs in its own process.
struct IngestLoad {
    var port: Int
    var seed: UInt64
    var devices: Int
    var reports: Int
    var batch: Int
    var connections: Int
    var seconds: Double
    /// Each device's first nonce: a second load over the same devices starts above the first's.
    var firstNonce: UInt64 = 1

    /// What a run did.
    struct Outcome: Codable {
        var sent: Int
        var accepted: Int
        var rejected: Int
        var batches: Int
        var failedBatches: Int
        var seconds: Double
        var signingSeconds: Double
        /// CPU seconds the generator used while posting (not signing).
        var cpuSeconds: Double = 0
    }

    static func deviceKey(seed: UInt64, index: Int) -> SigningKey {
        CoverageWorld.key(seed: seed, label: "ingest-device", index: index)
    }

    /// Each connection's batches, encoded.
    func signedBatches(nowMs: Int64) -> [[Data]] {
        let keys = (0..<devices).map { Self.deviceKey(seed: seed, index: $0) }
        return (0..<connections).map { connection in
            let mine = stride(from: connection, to: devices, by: connections).map { keys[$0] }
            let count = reports / connections + (connection < reports % connections ? 1 : 0)
            var batches: [Data] = []
            var current = ReportBatch()
            for index in 0..<count {
                var report = Report()
                report.nonce = firstNonce + UInt64(index / mine.count)
                report.timestampMs = nowMs
                report.heartbeat.uptimeS = report.nonce
                report.sign(with: mine[index % mine.count])
                current.reports.append(report)
                if current.reports.count == batch || index == count - 1 {
                    batches.append((try? current.serializedData()) ?? Data())
                    current = ReportBatch()
                }
            }
            return batches
        }
    }

    func run() throws -> Outcome {
        let clock = ContinuousClock()
        let signingBegan = clock.now
        let batches = signedBatches(nowMs: Int64(Date().timeIntervalSince1970 * 1000))
        let signing = clock.now - signingBegan
        let deadline = Date().addingTimeInterval(seconds)
        let totals = Totals()
        let cpuBefore = Self.cpuSeconds()
        let began = clock.now
        DispatchQueue.concurrentPerform(iterations: connections) { connection in
            guard let link = try? LoopbackHTTPConnection(port: port) else {
                totals.add(failed: batches[connection].count)
                return
            }
            for body in batches[connection] {
                guard Date() < deadline else { return }
                guard let answer = try? link.post("/v1/reports/batch", body: body, contentType: "application/x-protobuf"),
                    answer.status == 200, let (accepted, rejected) = Self.counts(answer.body)
                else {
                    totals.add(failed: 1)
                    continue
                }
                totals.add(accepted: accepted, rejected: rejected)
            }
        }
        let elapsed = clock.now - began
        var outcome = totals.outcome(seconds: elapsed.seconds, signingSeconds: signing.seconds)
        outcome.cpuSeconds = Self.cpuSeconds() - cpuBefore
        return outcome
    }

    /// A batch answer's counts, read from its head (`{"accepted":N,"rejected":M,…`, keys sorted)
    /// without parsing its 500 results: the generator shares the cores with the node it measures,
    /// and a full parse of every answer cost it more than the rest of its work.
    static func counts(_ body: Data) -> (accepted: Int, rejected: Int)? {
        let head = String(decoding: body.prefix(64), as: UTF8.self)
        guard head.hasPrefix("{\"accepted\":") else { return nil }
        let fields = head.dropFirst(1).split(separator: ",").prefix(2).map { $0.split(separator: ":") }
        guard fields.count == 2, fields[0].count == 2, fields[1].count == 2, fields[1][0] == "\"rejected\"",
            let accepted = Int(fields[0][1]), let rejected = Int(fields[1][1])
        else { return nil }
        return (accepted, rejected)
    }

    /// This process's CPU seconds so far, user and system.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Counts from every connection's thread.
    final class Totals: @unchecked Sendable {
        private let lock = NSLock()
        private var accepted = 0, rejected = 0, batches = 0, failed = 0

        func add(accepted: Int, rejected: Int) {
            lock.withLock {
                self.accepted += accepted
                self.rejected += rejected
                batches += 1
            }
        }

        func add(failed: Int) { lock.withLock { self.failed += failed } }

        func outcome(seconds: Double, signingSeconds: Double) -> Outcome {
            lock.withLock {
                Outcome(
                    sent: accepted + rejected, accepted: accepted, rejected: rejected, batches: batches, failedBatches: failed,
                    seconds: seconds, signingSeconds: signingSeconds)
            }
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
