import Core
import Foundation
import Ledger

extension SQLNetworkStore {
    public func grant(device: PublicKey, grantee: Address) async throws -> AccessGrant? {
        try await writer.read { db in
            try SQLRow.fetchOne(
                db, sql: "SELECT * FROM telemetry_grants WHERE device = ? AND grantee = ?",
                arguments: [device.rawRepresentation, grantee.description]
            ).map(GrantRows.grant)
        }
    }

    public func grants(device: PublicKey) async throws -> [AccessGrant] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM telemetry_grants WHERE device = ? ORDER BY grantee", arguments: [device.rawRepresentation]
            ).map(GrantRows.grant)
        }
    }

    public func tokenSecret() async throws -> Data {
        // Read on every token issued and checked: a write only the first time.
        if let secret = try await writer.read({ db in try Self.storedTokenSecret(db) }) { return secret }
        return try await writer.write { db in
            if let secret = try Self.storedTokenSecret(db) { return secret }
            var generator = SystemRandomNumberGenerator()
            let secret = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES ('telemetry_token_secret', ?)", arguments: [secret.hexString])
            return secret
        }
    }

    private static func storedTokenSecret(_ db: any SQLSession) throws -> Data? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'telemetry_token_secret'").flatMap { Data(hex: $0) }
    }
}
