import Foundation
import Store

/// CPU time spent by this process's threads, grouped by what they do, and by the machine's
/// PostgreSQL server processes: read from /proc (Linux) through a benchmark's phase, so that it
/// can say which part of the work costs what. Elsewhere it reads nothing.
struct ThreadCPU {
    /// Seconds of CPU (user and system) by part.
    var seconds: [String: Double]

    /// The parts, in the order a breakdown lists them.
    static let parts = [
        "signature verification", "the store's writer", "requests: HTTP, decoding, answers", "the PostgreSQL driver",
        "PostgreSQL's server", "other threads", "threads that ended between samples",
    ]

    /// What this process has used so far (its total keeps what ended threads used) and, with
    /// `postgres`, the PostgreSQL server's processes; the threads' own parts are `Recorder`'s.
    static func now(postgres: Bool) -> ThreadCPU {
        var seconds = [processTotal: usage(of: "/proc/self/stat")?.1 ?? 0]
        guard postgres else { return ThreadCPU(seconds: seconds) }
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for process in processes where process.allSatisfy(\.isNumber) {
            guard let (name, used) = usage(of: "/proc/\(process)/stat"), name == "postgres" else { continue }
            seconds["PostgreSQL's server", default: 0] += used
        }
        return ThreadCPU(seconds: seconds)
    }

    /// This process's threads now: name and CPU seconds, by thread id.
    static func threads() -> [String: (name: String, seconds: Double)] {
        var found: [String: (name: String, seconds: Double)] = [:]
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
            if let (name, used) = usage(of: "/proc/self/task/\(task)/stat") { found[task] = (name, used) }
        }
        return found
    }

    /// The key of the process's own total.
    static let processTotal = "the process"

    /// What was used between `earlier` and this.
    func since(_ earlier: ThreadCPU) -> ThreadCPU {
        ThreadCPU(seconds: seconds.merging(earlier.seconds.mapValues { -$0 }, uniquingKeysWith: +))
    }

    /// Follows this process's threads through a phase, every 100 ms, so that a thread that ends
    /// during it (Dispatch retires idle worker threads) still counts up to its last sample.
    final class Recorder: @unchecked Sendable {
        /// Whether the PostgreSQL server's processes count.
        let postgres: Bool
        private let lock = NSLock()
        private var first: [String: (name: String, seconds: Double)] = [:]
        private var last: [String: (name: String, seconds: Double)] = [:]
        private var outside = ThreadCPU(seconds: [:])
        private var stopping = false
        private let done = DispatchSemaphore(value: 0)

        init(postgres: Bool) { self.postgres = postgres }

        /// Starts following.
        func start() {
            let now = ThreadCPU.now(postgres: postgres)
            let threads = ThreadCPU.threads()
            lock.withLock {
                outside = now
                first = threads
                last = threads
            }
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                while !lock.withLock({ stopping }) {
                    Thread.sleep(forTimeInterval: 0.1)
                    let threads = ThreadCPU.threads()
                    lock.withLock { last.merge(threads) { _, new in new } }
                }
            }
        }

        /// Stops, and returns what each part used since `start`; what no sample caught (a thread's
        /// last moments before it ended) is left under `processTotal`'s remainder.
        func stop() -> ThreadCPU {
            lock.withLock { stopping = true }
            done.wait()
            let end = ThreadCPU.now(postgres: postgres).since(lock.withLock { outside })
            let threads = ThreadCPU.threads()
            return lock.withLock {
                last.merge(threads) { _, new in new }
                var seconds: [String: Double] = [:]
                for (id, thread) in last {
                    seconds[ThreadCPU.part(ofThread: thread.name), default: 0] += thread.seconds - (first[id]?.seconds ?? 0)
                }
                seconds["PostgreSQL's server"] = end.seconds["PostgreSQL's server"]
                let attributed = seconds.filter { $0.key != "PostgreSQL's server" }.values.reduce(0, +)
                seconds["threads that ended between samples"] = max((end.seconds[ThreadCPU.processTotal] ?? 0) - attributed, 0)
                return ThreadCPU(seconds: seconds)
            }
        }
    }

    /// The part a thread of this process belongs to, by its name: the verifier's pool
    /// (`SignatureVerifier`, which names its threads), the store's writer (GRDB's serial queue on
    /// Dispatch's overcommit threads, or the PostgreSQL store's pool, NIO's thread pool: TP-#n,
    /// where the node's side of each commit runs; during the load nothing else runs on either),
    /// Swift's concurrency pool and NIO's event loops (the HTTP server and the request handlers),
    /// and the PostgreSQL driver's event loop, which the pool names.
    static func part(ofThread name: String) -> String {
        if name.hasPrefix("verifier") { return "signature verification" }  // SignatureVerifier.threadName
        if name == PostgresPool.driverThreadName { return "the PostgreSQL driver" }
        if name.contains("overcommit") || name.hasPrefix("TP-#") { return "the store's writer" }
        if name.contains("default-qos") || name.hasPrefix("NIO-") { return "requests: HTTP, decoding, answers" }
        return "other threads"
    }

    /// A /proc stat file's command name and CPU seconds (utime and stime, the 14th and 15th fields).
    private static func usage(of path: String) -> (String, Double)? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")")
        else { return nil }
        let name = String(text[text.index(after: open)..<close])
        let fields = text[text.index(close, offsetBy: 2)...].split(separator: " ")
        // After the name: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (name, (user + system) / ticksPerSecond)
    }

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
}
