import Core
import Foundation

extension SQLNetworkStore {
    public func addBlob(_ blob: BlobRecord, nowMs: Int64) async throws -> Int64 {
        try await writer.write { db in try ObjectRows.insertBlob(blob, nowMs: nowMs, in: db) }
    }

    public func blob(_ id: Int64) async throws -> BlobRecord? {
        try await writer.read { db in try ObjectRows.blob(id, in: db) }
    }

    public func sweepOrphanBlobs(beforeMs: Int64) async throws -> [PiecePlacement] {
        try await writer.write { db in
            let orphans = try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM s3_blobs b WHERE created_ms < ?
                    AND NOT EXISTS (SELECT 1 FROM s3_object_parts p WHERE p.blob = b.id)
                    AND NOT EXISTS (SELECT 1 FROM s3_upload_parts u WHERE u.blob = b.id)
                    """,
                arguments: [beforeMs])
            return try orphans.flatMap { try ObjectRows.drop($0, in: db) }
        }
    }

    public func putObject(_ object: ObjectRecord) async throws -> [PiecePlacement] {
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [object.bucket]) != nil else {
                throw StoreError(.noSuchBucket, "there is no bucket \(object.bucket)")
            }
            let replaced = try ObjectRows.removeObject(bucket: object.bucket, key: object.key, in: db) ?? []
            try ObjectRows.insertObject(object, in: db)
            return try ObjectRows.collect(replaced, in: db)
        }
    }

    public func object(bucket: String, key: String) async throws -> ObjectRecord? {
        try await writer.read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, key])
            else { return nil }
            return ObjectRecord(
                bucket: bucket, key: key, size: row["size"], etag: row["etag"], contentType: row["content_type"],
                metadata: ObjectRows.metadata(row["metadata"]), createdMs: row["created_ms"],
                parts: try ObjectRows.objectParts(bucket: bucket, key: key, in: db))
        }
    }

    public func deleteObject(bucket: String, key: String) async throws -> [PiecePlacement]? {
        try await writer.write { db in
            guard let blobs = try ObjectRows.removeObject(bucket: bucket, key: key, in: db) else { return nil }
            return try ObjectRows.collect(blobs, in: db)
        }
    }

    public func listObjects(bucket: String, prefix: String, delimiter: String?, after: String?, limit: Int) async throws
        -> ObjectListing
    {
        let delimiter = delimiter?.isEmpty == true ? nil : delimiter
        return try await writer.read { db in
            var listing = ObjectListing()
            var count = 0
            // The scan's cursor: keys greater than (or equal to, when `inclusive`) `cursor`.
            var cursor = max(after ?? "", prefix)
            var inclusive = after == nil || (after ?? "") < prefix
            // Listing again after a common prefix skips every key under it.
            var skipping: String? = nil
            var returned: String? = nil
            if let after, let delimiter, after.hasPrefix(prefix), after.dropFirst(prefix.count).contains(delimiter) {
                skipping = after
                if let next = Self.successor(after) { (cursor, inclusive) = (next, true) }
            }
            let batch = 256
            scan: while true {
                let rows = try SQLRow.fetchAll(
                    db,
                    sql: "SELECT key, size, etag, created_ms FROM s3_objects WHERE bucket = ? AND key \(inclusive ? ">=" : ">") ? ORDER BY key LIMIT ?",
                    arguments: [bucket, cursor, batch])
                for row in rows {
                    let key: String = row["key"]
                    (cursor, inclusive) = (key, false)
                    guard key.hasPrefix(prefix) else { break scan }
                    if let skip = skipping, key.hasPrefix(skip) { continue }
                    skipping = nil
                    var rolled: String? = nil
                    if let delimiter, let range = key.dropFirst(prefix.count).range(of: delimiter) {
                        rolled = String(key[..<range.upperBound])
                    }
                    guard count < limit else {
                        listing.next = returned
                        break scan
                    }
                    count += 1
                    returned = rolled ?? key
                    if let rolled {
                        listing.commonPrefixes.append(rolled)
                        skipping = rolled
                        if let next = Self.successor(rolled) {
                            (cursor, inclusive) = (next, true)
                            continue scan
                        }
                    } else {
                        listing.entries.append(
                            .init(key: key, size: row["size"], etag: row["etag"], createdMs: row["created_ms"]))
                    }
                }
                if rows.count < batch { break }
            }
            return listing
        }
    }

    /// The least string greater than every string that starts with `text`: its last scalar
    /// replaced by the next one (nil when it is the last scalar there is).
    static func successor(_ text: String) -> String? {
        guard let last = text.unicodeScalars.last else { return nil }
        var value = last.value + 1
        if (0xD800...0xDFFF).contains(value) { value = 0xE000 }
        guard let next = Unicode.Scalar(value) else { return nil }
        var scalars = String.UnicodeScalarView(text.unicodeScalars.dropLast())
        scalars.append(next)
        return String(scalars)
    }

    public func createUpload(_ upload: MultipartUpload) async throws {
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [upload.bucket]) != nil else {
                throw StoreError(.noSuchBucket, "there is no bucket \(upload.bucket)")
            }
            try db.execute(
                sql: """
                    INSERT INTO s3_uploads (id, bucket, key, owner, content_type, metadata, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    upload.id, upload.bucket, upload.key, upload.owner.publicKey.rawRepresentation, upload.contentType,
                    ObjectRows.metadataText(upload.metadata), upload.createdMs,
                ])
        }
    }

    public func upload(_ id: String) async throws -> MultipartUpload? {
        try await writer.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM s3_uploads WHERE id = ?", arguments: [id]).map(Self.upload)
        }
    }

    public func uploads(bucket: String) async throws -> [MultipartUpload] {
        try await writer.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM s3_uploads WHERE bucket = ? ORDER BY created_ms, id", arguments: [bucket])
                .map(Self.upload)
        }
    }

    public func putPart(upload: String, part: MultipartUpload.Part) async throws -> [PiecePlacement] {
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM s3_uploads WHERE id = ?", arguments: [upload]) != nil else {
                throw StoreError(.noSuchUpload, "there is no multipart upload \(upload)")
            }
            let replaced = try Int64.fetchAll(
                db, sql: "SELECT blob FROM s3_upload_parts WHERE upload = ? AND number = ?", arguments: [upload, part.number])
            try db.execute(
                sql: """
                    INSERT INTO s3_upload_parts (upload, number, blob, size, etag, created_ms) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (upload, number) DO UPDATE SET blob = excluded.blob, size = excluded.size,
                        etag = excluded.etag, created_ms = excluded.created_ms
                    """,
                arguments: [upload, part.number, part.blob, part.size, part.etag, part.createdMs])
            return try ObjectRows.collect(replaced, in: db)
        }
    }

    public func parts(upload: String) async throws -> [MultipartUpload.Part] {
        try await writer.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM s3_upload_parts WHERE upload = ? ORDER BY number", arguments: [upload]).map {
                MultipartUpload.Part(
                    number: $0["number"], blob: $0["blob"], size: $0["size"], etag: $0["etag"], createdMs: $0["created_ms"])
            }
        }
    }

    public func completeUpload(_ id: String, as object: ObjectRecord) async throws -> [PiecePlacement] {
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM s3_uploads WHERE id = ?", arguments: [id]) != nil else {
                throw StoreError(.noSuchUpload, "there is no multipart upload \(id)")
            }
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [object.bucket]) != nil else {
                throw StoreError(.noSuchBucket, "there is no bucket \(object.bucket)")
            }
            let partBlobs = try Int64.fetchAll(db, sql: "SELECT blob FROM s3_upload_parts WHERE upload = ?", arguments: [id])
            let replaced = try ObjectRows.removeObject(bucket: object.bucket, key: object.key, in: db) ?? []
            try ObjectRows.insertObject(object, in: db)
            try db.execute(sql: "DELETE FROM s3_upload_parts WHERE upload = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM s3_uploads WHERE id = ?", arguments: [id])
            return try ObjectRows.collect(replaced + partBlobs, in: db)
        }
    }

    public func abortUpload(_ id: String) async throws -> [PiecePlacement]? {
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM s3_uploads WHERE id = ?", arguments: [id]) != nil else { return nil }
            let partBlobs = try Int64.fetchAll(db, sql: "SELECT blob FROM s3_upload_parts WHERE upload = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM s3_upload_parts WHERE upload = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM s3_uploads WHERE id = ?", arguments: [id])
            return try ObjectRows.collect(partBlobs, in: db)
        }
    }

    static func upload(_ row: SQLRow) throws -> MultipartUpload {
        MultipartUpload(
            id: row["id"], bucket: row["bucket"], key: row["key"], owner: try PublicKey(rawRepresentation: row["owner"]).address,
            contentType: row["content_type"], metadata: ObjectRows.metadata(row["metadata"]), createdMs: row["created_ms"])
    }
}
