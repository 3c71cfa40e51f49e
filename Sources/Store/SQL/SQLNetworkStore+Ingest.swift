import Core
import Foundation

/// Ingest's commit: a group of verified reports checked against the registry (the device, its
/// kind, its last nonce) and the freeze, appended to the log, with a verdict each.
extension SQLNetworkStore {
    public func appendReports(
        _ reports: [VerifiedReport], allowedKinds: [String: Set<DeviceKind>],
        validate: @escaping @Sendable (Report, DeviceKind) -> String? = { _, _ in nil }, nowMs: Int64
    ) async throws -> [ReportVerdict] {
        let commit: IngestCommit
        do {
            commit = try await writer.write { db in
                try self.admit(reports, allowedKinds: allowedKinds, validate: validate, nowMs: nowMs, in: db)
            }
        } catch {
            reportPartitions.forget()
            throw error
        }
        // What the commit learnt is kept only now that it is known to have committed.
        reportPartitions.remember(commit.partitions)
        if let serial = commit.serial {
            reportTail.committedShared(serial: serial)
            senderCache.committed(commit.senders, commit: commit.devices, serial: serial)
        }
        return commit.verdicts
    }

    /// What one ingest transaction decided, and what it learnt for the next.
    private struct IngestCommit: Sendable {
        var verdicts: [ReportVerdict]
        var serial: Int64?
        var senders: [PublicKey: ReportLog.Sender]
        var partitions: Set<Int64>
        /// The devices that sent the commit's reports, accepted or not.
        var devices: [PublicKey]
    }

    /// Checks `reports` and appends those accepted, in the write transaction `db`.
    private func admit(
        _ reports: [VerifiedReport], allowedKinds: [String: Set<DeviceKind>],
        validate: (Report, DeviceKind) -> String?, nowMs: Int64, in db: any SQLSession
    ) throws -> IngestCommit {
        let lastClosed = try EpochFreeze.frozenThrough(in: db, alongside: ReportLog.preferIndexProbes(db.dialect))
        // By closures, not key paths: a key path's projection copies each report whole (its
        // decoded message, field by field), and a commit copied each of them a dozen times.
        let partitions = try reportPartitions.ensure(Set(reports.map { $0.epoch }), in: db)
        var senders = db.writeSerial.map { senderCache.take(serial: $0) } ?? [:]
        let missing = Set(reports.map { $0.device }.filter { senders[$0] == nil })
        if !missing.isEmpty {
            senders.merge(try ReportLog.senders(missing, tail: reportTail, in: db)) { kept, _ in kept }
        }
        var verdicts: [ReportVerdict] = []
        verdicts.reserveCapacity(reports.count)
        var accepted: [VerifiedReport] = []
        var slots: [Int] = []
        var advanced: Set<PublicKey> = []
        for position in reports.indices {
            // Read where it lies: a copy of a report is a copy of its message, field by field.
            // By index: the key is hashed once a report.
            guard let index = senders.index(forKey: reports[position].device) else {
                verdicts.append(.rejected(code: "unknown_device", message: "no device \(reports[position].device) is registered"))
                continue
            }
            let sender = senders.values[index]
            if let lastClosed, reports[position].epoch <= lastClosed {
                verdicts.append(
                    .rejected(
                        code: "epoch_closed",
                        message: "epoch \(reports[position].epoch) is closed or closing; reports for it are no longer counted"))
                continue
            }
            guard allowedKinds[reports[position].type]?.contains(sender.kind) == true else {
                verdicts.append(
                    .rejected(
                        code: "kind_not_allowed",
                        message: "a \(sender.kind.name) may not send \(reports[position].type) reports"))
                continue
            }
            if let reason = validate(reports[position].report, sender.kind) {
                // Kept as the device's record (its own signed report, once per nonce).
                try db.execute(
                    sql: """
                        INSERT INTO report_refusals (device, nonce, epoch, type, reason, received_ms)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """,
                    arguments: [
                        reports[position].device.rawRepresentation, Int64(reports[position].report.nonce), reports[position].epoch, reports[position].type,
                        reason, nowMs,
                    ])
                verdicts.append(.rejected(code: reason, message: "the \(reports[position].type) service refused the report"))
                continue
            }
            guard reports[position].report.nonce > sender.lastReportNonce else {
                verdicts.append(
                    .rejected(
                        code: "replayed_nonce",
                        message: "nonce \(reports[position].report.nonce) is not above the last accepted \(sender.lastReportNonce)"))
                continue
            }
            slots.append(verdicts.count)
            verdicts.append(.accepted(id: 0))
            accepted.append(reports[position])
            senders.values[index].lastReportNonce = reports[position].report.nonce
            // Only the devices whose row is due (`ReportLog.advance`): a set insert a report
            // was about 4% of the commit's own CPU.
            if ReportLog.checkpointDue(senders.values[index], nowMs: nowMs) { advanced.insert(reports[position].device) }
        }
        for (slot, id) in zip(slots, try ReportLog.append(accepted, receivedMs: nowMs, tail: reportTail, in: db)) {
            verdicts[slot] = .accepted(id: id)
        }
        for key in try ReportLog.advance(advanced.map { ($0, senders[$0]!) }, nowMs: nowMs, in: db) {
            senders[key]?.recordedMs = nowMs
        }
        return IngestCommit(
            verdicts: verdicts, serial: db.writeSerial, senders: senders, partitions: partitions, devices: reports.map { $0.device })
    }
}
