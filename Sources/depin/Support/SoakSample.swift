import Foundation

/// One look at the soaking node: its memory, its report log against what it acknowledged, and
/// the hot reads' latency.
struct SoakSample: Sendable {
    var minute: Double
    /// Anonymous resident memory (the heap), MiB.
    var heapMib: Double
    /// File-backed resident memory (the database's memory map, the binary), MiB.
    var mappedMib: Double
    /// Of the heap, what SQLite holds (its page caches, bounded by `cache_size`), MiB.
    var sqliteMib: Double
    /// The heap less SQLite's: the node's and the simulated devices' own, MiB.
    var ownMib: Double { heapMib - sqliteMib }
    /// Reports acknowledged (the accepted counter), read before `stored`.
    var acknowledged: Int
    /// Reports in the log.
    var stored: Int
    var p50Ms: Double
    var p99Ms: Double
    /// The last closed epoch, when one has closed.
    var lastEpoch: Int?

    var line: String {
        String(
            format: "%6.1f | %8.1f | %10.1f | %8.1f | %10.1f | %14d | %12d | %6.1f | %6.1f", minute, heapMib, sqliteMib, ownMib,
            mappedMib, stored, acknowledged, p50Ms, p99Ms)
    }

    static func take(pid: Int32, targets: SoakTargets, started: Date) async throws -> SoakSample {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func kib(_ field: String) -> Double {
            let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
            return Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? 0
        }
        // The counter first: every report it counts was stored before it was counted.
        let metrics = String(decoding: try await targets.get("/metrics").0, as: UTF8.self)
        func metric(_ name: String) -> Double {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        }
        let acknowledged = Int(metric("depin_reports_accepted_total"))
        let health = try JSONSerialization.jsonObject(with: try await targets.get("/health").0) as? [String: Any] ?? [:]
        var latencies: [Double] = []
        for path in targets.reads {
            for _ in 0..<20 { latencies.append(try await targets.get(path).1 * 1_000) }
        }
        latencies.sort()
        let epochs = try JSONSerialization.jsonObject(with: try await targets.get("/v1/epochs?limit=1").0) as? [[String: Any]]
        return SoakSample(
            minute: Date().timeIntervalSince(started) / 60, heapMib: kib("RssAnon") / 1_024, mappedMib: kib("RssFile") / 1_024,
            sqliteMib: metric("depin_sqlite_memory_bytes") / 1_048_576,
            acknowledged: acknowledged, stored: health["reports"] as? Int ?? 0,
            p50Ms: latencies[latencies.count / 2], p99Ms: latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
            lastEpoch: epochs?.first?["epoch"] as? Int)
    }
}
