import Foundation

/// Progress of long work on standard error: a bar redrawn in place on a terminal, a line every
/// tenth of the way otherwise (logs, CI). Safe to call from several threads.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let lock = NSLock()
    private var done = 0
    private var lastTenth = -1
    private let started = Date()
    private let terminal = isatty(2) != 0
    private let enabled: Bool

    /// A bar for `total` steps of `label`; silent when not `enabled`.
    init(total: Int, label: String, enabled: Bool = true) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = enabled
    }

    /// One more step done.
    func advance() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let elapsed = Date().timeIntervalSince(started)
        if terminal {
            guard done == total || done % max(1, total / 400) == 0 else { return }
            let filled = done * 30 / total
            let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
            FileHandle.standardError.write(
                Data(String(format: "\r[%@] %d/%d %@  %.0fs left ", bar, done, total, label, remaining).utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let tenth = done * 10 / total
            guard tenth != lastTenth else { return }
            lastTenth = tenth
            FileHandle.standardError.write(Data(String(format: "%d/%d %@ (%.0f s)\n", done, total, label, elapsed).utf8))
        }
    }
}
