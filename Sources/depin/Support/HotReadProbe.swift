import Foundation

/// Reads the API's hot paths one after another on one loopback connection, on a thread of its
/// own, until stopped, and keeps each request's latency.
final class HotReadProbe: @unchecked Sendable {
    /// One kind of read's latencies, in milliseconds.
    struct Line {
        var name: String
        var count: Int
        var p50: Double
        var p99: Double
    }

    private let port: Int
    private let targets: [(name: String, paths: [String])]
    private let lock = NSLock()
    private var stopping = false
    private var times: [[Double]]
    private var failure: String?
    private let done = DispatchSemaphore(value: 0)

    init(port: Int, targets: [(name: String, paths: [String])]) {
        self.port = port
        self.targets = targets
        times = targets.map { _ in [] }
    }

    func start() {
        Thread.detachNewThread { [self] in
            defer { done.signal() }
            guard let link = try? LoopbackHTTPConnection(port: port) else {
                lock.withLock { failure = "cannot connect" }
                return
            }
            let clock = ContinuousClock()
            var round = 0
            while !lock.withLock({ stopping }) {
                for (index, target) in targets.enumerated() where !target.paths.isEmpty {
                    let path = target.paths[round % target.paths.count]
                    let began = clock.now
                    guard let answer = try? link.get(path), answer.status == 200 else {
                        lock.withLock { failure = "GET \(path) failed" }
                        return
                    }
                    let elapsed = (clock.now - began).seconds * 1000
                    lock.withLock { times[index].append(elapsed) }
                }
                round += 1
            }
        }
    }

    /// Stops the probe and returns each read's percentiles.
    func stop() -> [Line] {
        lock.withLock { stopping = true }
        done.wait()
        return lock.withLock {
            zip(targets, times).map { target, samples in
                let sorted = samples.sorted()
                func percentile(_ p: Double) -> Double {
                    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
                }
                return Line(name: target.name + (failure.map { " (\($0))" } ?? ""), count: sorted.count, p50: percentile(0.5), p99: percentile(0.99))
            }
        }
    }
}
