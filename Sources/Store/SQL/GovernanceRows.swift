import Core
import Foundation
import Ledger

/// Operators' changes in SQL: one row per change, keyed by the journal entry that records it.
enum GovernanceRows {
    /// The table, in the SQL both databases speak (INTEGER is 64-bit in both).
    static let createTable = """
        CREATE TABLE governance (
            sequence BIGINT PRIMARY KEY,
            effective_epoch BIGINT NOT NULL,
            kind TEXT NOT NULL,
            device TEXT NOT NULL DEFAULT '',
            service TEXT NOT NULL DEFAULT '',
            key TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            signer TEXT NOT NULL,
            applied_ms BIGINT NOT NULL
        );
        """

    /// Stores `change` under the journal entry `sequence`.
    static func save(_ change: GovernanceChange, sequence: UInt64, in db: any SQLSession) throws {
        try db.execute(
            sql: """
                INSERT INTO governance (sequence, effective_epoch, kind, device, service, key, value, reason, signer, applied_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                Int64(sequence), change.effectiveEpoch, change.kind.rawValue, change.device?.description ?? "",
                change.parameter?.service ?? "", change.parameter?.key ?? "", change.parameter?.value ?? "",
                change.reason, change.signer.description, change.appliedMs,
            ])
    }

    /// Every change, in journal order.
    static func all(in db: any SQLSession) throws -> [GovernanceChange] {
        try SQLRow.fetchAll(db, sql: "SELECT * FROM governance ORDER BY sequence").map { row in
            guard let kind = GovernanceChange.Kind(rawValue: row["kind"]) else {
                throw StoreError(.corrupt, "governance row \(row["sequence"] as Int64) has kind \(row["kind"] as String)")
            }
            let device: String = row["device"]
            return GovernanceChange(
                sequence: UInt64(row["sequence"] as Int64), effectiveEpoch: row["effective_epoch"], kind: kind,
                device: device.isEmpty ? nil : try Address(parsing: device),
                parameter: kind == .parameter
                    ? ParameterOverride(service: row["service"], key: row["key"], value: row["value"]) : nil,
                reason: row["reason"], signer: try Address(parsing: row["signer"]), appliedMs: row["applied_ms"])
        }
    }
}
