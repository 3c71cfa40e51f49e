import Core
import Foundation

/// The agent's store-and-forward queue: each report is a file in `queue/`, written and synced
/// before it counts as queued, removed only once the node has taken it (or refused it for
/// good). The next nonce is kept in `nonce`, synced before a report with it is queued, so a
/// restarted agent never reuses one.
public struct ReportQueue: Sendable {
    /// The agent's state directory.
    public let directory: String
    private var queueDirectory: String { directory + "/queue" }
    private var nonceFile: String { directory + "/nonce" }

    /// Opens (creating) a queue in `directory`.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/queue", withIntermediateDirectories: true)
    }

    /// Reserves the next nonce, durably.
    public func nextNonce() throws -> UInt64 {
        let current = (try? String(contentsOfFile: nonceFile, encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let next = current + 1
        try Self.writeSynced(Data("\(next)\n".utf8), to: nonceFile)
        return next
    }

    /// Adds a signed report to the queue, durably.
    public func enqueue(_ report: Report) throws {
        let name = String(format: "%020llu.pb", report.nonce)
        try Self.writeSynced(report.canonicalBytes, to: queueDirectory + "/" + name)
    }

    /// Up to `limit` queued reports, oldest first.
    public func pending(limit: Int = .max) throws -> [Report] {
        let names = try FileManager.default.contentsOfDirectory(atPath: queueDirectory)
            .filter { $0.hasSuffix(".pb") }.sorted().prefix(limit)
        return try names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: queueDirectory + "/" + name) else { return nil }
            return try Report(wireBytes: data)
        }
    }

    /// How many reports wait.
    public func count() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: queueDirectory).filter { $0.hasSuffix(".pb") }.count
    }

    /// Drops the report with `nonce` from the queue.
    public func remove(nonce: UInt64) throws {
        let path = queueDirectory + "/" + String(format: "%020llu.pb", nonce)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }

    /// Writes to a temporary file, syncs it, renames it into place and syncs the directory.
    static func writeSynced(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ReportQueueError("cannot write \(temporary): errno \(errno)") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0 else { throw ReportQueueError("cannot write \(temporary)") }
        guard rename(temporary, path) == 0 else { throw ReportQueueError("cannot rename \(temporary)") }
        let directory = (path as NSString).deletingLastPathComponent
        let dirfd = open(directory, O_RDONLY)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }
}

/// The queue could not write to its state directory.
public struct ReportQueueError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error with a message.
    public init(_ description: String) {
        self.description = description
    }
}
