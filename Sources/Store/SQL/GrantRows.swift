import Core
import Foundation
import Ledger

/// Telemetry grants in SQL: made, replaced, revoked, and all of a device's dropped when it
/// changes hands.
enum GrantRows {
    static func apply(_ change: LedgerChange, in db: any SQLSession) throws {
        if let grant = change.grant {
            try db.execute(
                sql: """
                    INSERT INTO telemetry_grants (device, grantee, privileges, expires_ms, granted_ms)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (device, grantee) DO UPDATE SET privileges = excluded.privileges,
                        expires_ms = excluded.expires_ms, granted_ms = excluded.granted_ms
                    """,
                arguments: [
                    grant.device.rawRepresentation, grant.grantee.description,
                    grant.privileges.map(\.rawValue).sorted().joined(separator: ","), grant.expiresMs, grant.grantedMs,
                ])
        }
        if let revoked = change.revoked {
            try db.execute(
                sql: "DELETE FROM telemetry_grants WHERE device = ? AND grantee = ?",
                arguments: [revoked.device.rawRepresentation, revoked.grantee.description])
        }
        if change.kind == .transferDevice {
            for device in change.devices {
                try db.execute(sql: "DELETE FROM telemetry_grants WHERE device = ?", arguments: [device.key.rawRepresentation])
            }
        }
    }

    static func grant(_ row: SQLRow) throws -> AccessGrant {
        AccessGrant(
            device: try PublicKey(rawRepresentation: row["device"] as Data), grantee: try Address(parsing: row["grantee"]),
            privileges: Set((row["privileges"] as String).split(separator: ",").compactMap { TelemetryPrivilege(rawValue: String($0)) }),
            expiresMs: row["expires_ms"], grantedMs: row["granted_ms"])
    }
}
