import Foundation

/// The soak's verdict: memory flat after the first quarter, every sample's p99 in bounds, nothing
/// acknowledged missing, and every closed epoch and the ledger recomputed from the database.
struct SoakVerdict {
    var lines: [String] = []
    var passed = true

    mutating func check(_ ok: Bool, _ line: String) {
        lines.append((ok ? "ok: " : "FAILED: ") + line)
        passed = passed && ok
    }

    static func judge(
        samples: [SoakSample], lost: [String], directory: String, genesis: String, maxGrowthMib: Double, maxP99Ms: Double
    ) throws -> SoakVerdict {
        var verdict = SoakVerdict()
        guard samples.count >= 4 else {
            verdict.check(false, "only \(samples.count) samples: run longer or sample more often")
            return verdict
        }
        // SQLite's page caches fill as the database grows, up to their bound (64 MiB a
        // connection); the rest of the heap is the node's own and must stay flat.
        let baseline = samples[samples.count / 4].ownMib
        let last = samples.suffix(3).map(\.ownMib).sorted()[1]
        verdict.check(
            last - baseline <= maxGrowthMib,
            String(
                format: "memory flat: the heap less SQLite's caches %.1f MiB after the first quarter, %.1f MiB at the end (at most +%.0f); SQLite's caches %.1f MiB at the end",
                baseline, last, maxGrowthMib, samples.last?.sqliteMib ?? 0))
        let worst = samples.map(\.p99Ms).max() ?? 0
        verdict.check(worst <= maxP99Ms, String(format: "latency bounded: the worst sample's p99 %.1f ms (at most %.0f)", worst, maxP99Ms))
        verdict.check(
            lost.isEmpty,
            lost.isEmpty ? "nothing lost: every acknowledged report was in the log at each of \(samples.count) samples"
                : "reports lost: " + lost.joined(separator: "; "))
        let epochs = samples.last?.lastEpoch.map { Array(0...$0) } ?? []
        var failed: [Int] = []
        for epoch in epochs where try !Self.depin(["epoch", "verify", "\(epoch)", "--data-dir", directory, "--genesis", genesis]) {
            failed.append(epoch)
        }
        verdict.check(!epochs.isEmpty && failed.isEmpty, "epochs verify: \(epochs.count) closed, \(failed.count) differ \(failed)")
        verdict.check(try Self.depin(["ledger", "verify", "--data-dir", directory, "--genesis", genesis]), "the ledger verifies")
        return verdict
    }

    /// Runs this binary with `arguments`; true when it exits 0.
    static func depin(_ arguments: [String]) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
