import Core
import Foundation

extension SQLNetworkStore {
    public func createAccessKey(_ key: AccessKey, requestMs: Int64, request: Data) async throws {
        try await writer.write { db in
            let account = key.account.publicKey.rawRepresentation
            if let last = try Int64.fetchOne(db, sql: "SELECT last_ms FROM s3_key_requests WHERE account = ?", arguments: [account]),
                requestMs <= last
            {
                throw StoreError(.replayedRequest, "this account already made a key request at or after \(requestMs) ms")
            }
            try db.execute(
                sql: """
                    INSERT INTO s3_key_requests (account, last_ms, request) VALUES (?, ?, ?)
                    ON CONFLICT(account) DO UPDATE SET last_ms = excluded.last_ms, request = excluded.request
                    """,
                arguments: [account, requestMs, request])
            try db.execute(
                sql: "INSERT INTO s3_access_keys (id, secret, account, created_ms) VALUES (?, ?, ?, ?)",
                arguments: [key.id, key.secret, account, key.createdMs])
        }
    }

    public func accessKey(id: String) async throws -> AccessKey? {
        try await writer.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM s3_access_keys WHERE id = ?", arguments: [id]).map(Self.accessKey)
        }
    }

    public func accessKeys(account: Address) async throws -> [AccessKey] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM s3_access_keys WHERE account = ? ORDER BY created_ms, id",
                arguments: [account.publicKey.rawRepresentation]
            ).map(Self.accessKey)
        }
    }

    public func deleteAccessKey(id: String, account: Address) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "DELETE FROM s3_access_keys WHERE id = ? AND account = ?", arguments: [id, account.publicKey.rawRepresentation])
                > 0
        }
    }

    public func createBucket(_ bucket: BucketRecord) async throws {
        try await writer.write { db in
            if try Data.fetchOne(db, sql: "SELECT owner FROM s3_buckets WHERE name = ?", arguments: [bucket.name]) != nil {
                throw StoreError(.bucketExists, "the bucket \(bucket.name) exists")
            }
            try db.execute(
                sql: "INSERT INTO s3_buckets (name, owner, created_ms) VALUES (?, ?, ?)",
                arguments: [bucket.name, bucket.owner.publicKey.rawRepresentation, bucket.createdMs])
        }
    }

    public func bucket(_ name: String) async throws -> BucketRecord? {
        try await writer.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM s3_buckets WHERE name = ?", arguments: [name]).map(Self.bucket)
        }
    }

    public func buckets(owner: Address) async throws -> [BucketRecord] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM s3_buckets WHERE owner = ? ORDER BY name", arguments: [owner.publicKey.rawRepresentation]
            ).map(Self.bucket)
        }
    }

    public func deleteBucket(_ name: String) async throws {
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError(.noSuchBucket, "there is no bucket \(name)")
            }
            if try Int.fetchOne(db, sql: "SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1", arguments: [name]) != nil
                || Int.fetchOne(db, sql: "SELECT 1 FROM s3_uploads WHERE bucket = ? LIMIT 1", arguments: [name]) != nil
            {
                throw StoreError(.bucketNotEmpty, "the bucket \(name) holds objects or multipart uploads")
            }
            try db.execute(sql: "DELETE FROM s3_buckets WHERE name = ?", arguments: [name])
        }
    }

    static func accessKey(_ row: SQLRow) throws -> AccessKey {
        AccessKey(
            id: row["id"], secret: row["secret"], account: try PublicKey(rawRepresentation: row["account"]).address,
            createdMs: row["created_ms"])
    }

    static func bucket(_ row: SQLRow) throws -> BucketRecord {
        BucketRecord(name: row["name"], owner: try PublicKey(rawRepresentation: row["owner"]).address, createdMs: row["created_ms"])
    }
}
