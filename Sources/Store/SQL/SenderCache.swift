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
/// the commit reads every device, as it would with no cache. A write that rolled back took no
/// number, so it does not drop it; one whose outcome this node did not learn drops it either way.
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

    /// The devices kept among `keys`, when the write numbered `serial` is the first since what
    /// is kept was true; else none, and nothing is kept any more.
    func senders(_ keys: some Collection<PublicKey>, serial: Int64) -> [PublicKey: ReportLog.Sender] {
        lock.withLock {
            guard let last = self.serial, serial == last + 1 else {
                self.serial = nil
                kept = [:]
                return [:]
            }
            var found: [PublicKey: ReportLog.Sender] = [:]
            found.reserveCapacity(keys.count)
            for key in keys {
                if let sender = kept[key] { found[key] = sender }
            }
            return found
        }
    }

    /// Records `senders` as the write numbered `serial` left them, now that it has committed:
    /// with what was kept, if that was true just before it; else alone.
    func committed(_ senders: [PublicKey: ReportLog.Sender], serial: Int64) {
        lock.withLock {
            if let last = self.serial, serial == last + 1, kept.count + senders.count <= limit {
                kept.merge(senders) { _, new in new }
            } else {
                kept = senders.count <= limit ? senders : [:]
            }
            self.serial = serial
        }
    }

    /// How many devices are kept (for tests).
    var count: Int { lock.withLock { kept.count } }
}
