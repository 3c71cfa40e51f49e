import Core
import Foundation

/// What ingest last knew of the devices that sent this node reports, kept between its write
/// transactions on a database that several nodes share (PostgreSQL), so that a commit need not
/// look up again, in the registry, devices it has seen.
///
/// A commit reads each of its devices' kind and last accepted nonce under the write lock. The
/// nonce guards against replay: a stale one would accept a report twice. So what is kept is what
/// was true when this node's last write committed, and it is used only while that write is the
/// database's last: when the write now running is numbered one more (`SQLSession.writeSerial`),
/// no other write, by this node or another, has committed in between. Otherwise it is dropped, and
/// the commit reads every device, as it would with no cache. The write takes the whole table and
/// hands it back, with what it read and changed, once it has committed; one that fails, or whose
/// outcome this node did not learn, leaves nothing kept.
final class SenderCache: @unchecked Sendable {
    /// The most devices kept; past it, only the last commit's are.
    let limit: Int

    private let lock = NSLock()
    /// The serial of the write that what is kept is true after.
    private var serial: Int64?
    private var kept: [PublicKey: ReportLog.Sender] = [:]

    init(limit: Int = 1 << 18) {
        precondition(limit > 0, "a cache keeps at least one device")
        self.limit = limit
    }

    /// Everything kept, taken out, when the write numbered `serial` is the first since it was
    /// true; else nothing. Either way nothing is kept until `committed`: the write adds what it
    /// reads and changes to what it took, and hands it all back once it has committed, so that a
    /// write that fails leaves nothing, and no device is copied from one table to another.
    func take(serial: Int64) -> [PublicKey: ReportLog.Sender] {
        lock.withLock {
            defer {
                self.serial = nil
                kept = [:]
            }
            guard let last = self.serial, serial == last + 1 else { return [:] }
            return kept
        }
    }

    /// Keeps `senders` as the write numbered `serial` left them, now that it has committed
    /// (what it took, with what it read and changed); only the devices of `commit` when they are
    /// more than `limit`.
    func committed(_ senders: [PublicKey: ReportLog.Sender], commit: some Collection<PublicKey>, serial: Int64) {
        let kept: [PublicKey: ReportLog.Sender]
        if senders.count <= limit {
            kept = senders
        } else {
            var latest: [PublicKey: ReportLog.Sender] = [:]
            for key in commit where latest.count < limit { latest[key] = senders[key] }
            kept = latest
        }
        lock.withLock {
            self.kept = kept
            self.serial = serial
        }
    }

    /// How many devices are kept (for tests).
    var count: Int { lock.withLock { kept.count } }
}
