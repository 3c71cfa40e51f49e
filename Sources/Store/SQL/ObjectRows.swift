import Core
import Foundation

/// Row-level helpers for the object catalog: blobs in and out, and garbage collection.
enum ObjectRows {
    static func insertBlob(_ blob: BlobRecord, nowMs: Int64, in db: any SQLSession) throws -> Int64 {
        let id = try db.insertReturningID(
            sql: "INSERT INTO s3_blobs (k, n, size, segment_bytes, created_ms) VALUES (?, ?, ?, ?, ?)",
            arguments: [blob.k, blob.n, blob.size, blob.segmentBytes, nowMs])
        for (number, segment) in blob.segments.enumerated() {
            try db.execute(
                sql: "INSERT INTO s3_segments (blob, number, length) VALUES (?, ?, ?)", arguments: [id, number, segment.length])
            for piece in segment.pieces {
                try insertPiece(piece, blob: id, segment: number, in: db)
            }
        }
        return id
    }

    static func insertPiece(_ piece: PiecePlacement, blob: Int64, segment: Int, in db: any SQLSession) throws {
        try db.execute(
            sql: "INSERT INTO s3_pieces (blob, segment, idx, piece_id, node, url, root, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [blob, segment, piece.index, piece.pieceID, piece.node.publicKey.rawRepresentation, piece.url, piece.root, piece.bytes])
    }

    static func piece(_ row: SQLRow) throws -> PiecePlacement {
        PiecePlacement(
            index: row["idx"], pieceID: row["piece_id"], node: try PublicKey(rawRepresentation: row["node"]).address, url: row["url"],
            root: row["root"], bytes: row["bytes"])
    }

    static func blob(_ id: Int64, in db: any SQLSession) throws -> BlobRecord? {
        guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM s3_blobs WHERE id = ?", arguments: [id]) else { return nil }
        var segments = try SQLRow.fetchAll(db, sql: "SELECT length FROM s3_segments WHERE blob = ? ORDER BY number", arguments: [id])
            .map { BlobRecord.Segment(length: $0["length"], pieces: []) }
        for piece in try SQLRow.fetchAll(db, sql: "SELECT * FROM s3_pieces WHERE blob = ? ORDER BY segment, idx", arguments: [id]) {
            let segment: Int = piece["segment"]
            guard segments.indices.contains(segment) else { throw StoreError(.corrupt, "blob \(id) has a piece of no segment") }
            segments[segment].pieces.append(try Self.piece(piece))
        }
        return BlobRecord(
            id: id, k: row["k"], n: row["n"], size: row["size"], segmentBytes: row["segment_bytes"], segments: segments)
    }

    /// Deletes those of `blobs` that no object or upload part refers to, and returns their
    /// pieces that no other blob keeps on the same node.
    static func collect(_ blobs: [Int64], in db: any SQLSession) throws -> [PiecePlacement] {
        var garbage: [PiecePlacement] = []
        for id in Set(blobs).sorted() {
            let referenced =
                try Int.fetchOne(db, sql: "SELECT 1 FROM s3_object_parts WHERE blob = ? LIMIT 1", arguments: [id]) != nil
                || Int.fetchOne(db, sql: "SELECT 1 FROM s3_upload_parts WHERE blob = ? LIMIT 1", arguments: [id]) != nil
            guard !referenced else { continue }
            garbage += try drop(id, in: db)
        }
        return garbage
    }

    /// Deletes blob `id` and returns its pieces that no other blob keeps on the same node.
    static func drop(_ id: Int64, in db: any SQLSession) throws -> [PiecePlacement] {
        let pieces = try SQLRow.fetchAll(db, sql: "SELECT * FROM s3_pieces WHERE blob = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM s3_pieces WHERE blob = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM s3_segments WHERE blob = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM s3_blobs WHERE id = ?", arguments: [id])
        var garbage: [PiecePlacement] = []
        for piece in pieces {
            let node: Data = piece["node"]
            let pieceID: String = piece["piece_id"]
            let kept = try Int.fetchOne(
                db, sql: "SELECT 1 FROM s3_pieces WHERE node = ? AND piece_id = ? LIMIT 1", arguments: [node, pieceID])
            guard kept == nil else { continue }
            garbage.append(try Self.piece(piece))
        }
        return garbage
    }

    static func metadataText(_ metadata: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func metadata(_ text: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]) ?? [:]
    }

    /// The parts of object `bucket`/`key`, in order.
    static func objectParts(bucket: String, key: String, in db: any SQLSession) throws -> [ObjectRecord.Part] {
        try SQLRow.fetchAll(
            db, sql: "SELECT blob, size FROM s3_object_parts WHERE bucket = ? AND key = ? ORDER BY ordinal",
            arguments: [bucket, key]
        ).map { ObjectRecord.Part(blob: $0["blob"], size: $0["size"]) }
    }

    /// Removes object `bucket`/`key` and returns the blobs it referred to; nil when there was none.
    static func removeObject(bucket: String, key: String, in db: any SQLSession) throws -> [Int64]? {
        let parts = try objectParts(bucket: bucket, key: key, in: db)
        guard try db.execute(sql: "DELETE FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, key]) > 0
        else { return nil }
        try db.execute(sql: "DELETE FROM s3_object_parts WHERE bucket = ? AND key = ?", arguments: [bucket, key])
        return parts.map(\.blob)
    }

    static func insertObject(_ object: ObjectRecord, in db: any SQLSession) throws {
        try db.execute(
            sql: """
                INSERT INTO s3_objects (bucket, key, size, etag, content_type, metadata, created_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                object.bucket, object.key, object.size, object.etag, object.contentType, metadataText(object.metadata),
                object.createdMs,
            ])
        for (ordinal, part) in object.parts.enumerated() {
            try db.execute(
                sql: "INSERT INTO s3_object_parts (bucket, key, ordinal, blob, size) VALUES (?, ?, ?, ?, ?)",
                arguments: [object.bucket, object.key, ordinal, part.blob, part.size])
        }
    }
}
