import Core
import Foundation
import Store
import StoreTestSupport
import Testing

/// The S3 gateway's metadata: access keys, buckets, listings, and which pieces become garbage
/// when the last object or part that refers to their blob goes.
@Suite struct ObjectCatalogTests {
    let owner = SigningKey().address
    let nodes = (0..<3).map { _ in SigningKey().address }

    func blob(_ store: SQLNetworkStore, pieces: [String], size: Int64 = 10) async throws -> Int64 {
        let placements = pieces.enumerated().map { index, id in
            PiecePlacement(index: index, pieceID: id, node: nodes[index % nodes.count], url: "http://127.0.0.1:\(9000 + index)")
        }
        return try await store.addBlob(
            BlobRecord(k: 2, n: pieces.count, size: size, segmentBytes: 64, segments: [.init(length: Int(size), pieces: placements)]),
            nowMs: 1_000)
    }

    func object(_ key: String, blobs: [Int64], in bucket: String = "media") -> ObjectRecord {
        ObjectRecord(
            bucket: bucket, key: key, size: Int64(blobs.count) * 10, etag: "e", contentType: "text/plain", metadata: ["a": "b"],
            createdMs: 2_000, parts: blobs.map { .init(blob: $0, size: 10) })
    }

    @Test(arguments: StoreEngine.allCases) func accessKeysCannotBeReplayed(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createAccessKey(AccessKey(id: "K1", secret: "s1", account: owner, createdMs: 1), requestMs: 100, request: Data())
        await #expect(throws: StoreError.self) {
            try await store.createAccessKey(AccessKey(id: "K2", secret: "s2", account: owner, createdMs: 2), requestMs: 100, request: Data())
        }
        try await store.createAccessKey(AccessKey(id: "K3", secret: "s3", account: owner, createdMs: 3), requestMs: 101, request: Data())
        #expect(try await store.accessKeys(account: owner).map(\.id) == ["K1", "K3"])
        #expect(try await store.accessKey(id: "K3")?.secret == "s3")
        #expect(try await store.deleteAccessKey(id: "K1", account: owner))
        #expect(try await !store.deleteAccessKey(id: "K3", account: SigningKey().address))
        #expect(try await store.accessKey(id: "K1") == nil)
    }

    @Test(arguments: StoreEngine.allCases) func bucketsAreUniqueAndDeletedOnlyEmpty(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createBucket(BucketRecord(name: "media", owner: owner, createdMs: 1))
        await #expect(throws: StoreError.self) { try await store.createBucket(BucketRecord(name: "media", owner: nodes[0], createdMs: 2)) }
        _ = try await store.putObject(object("a", blobs: [try await blob(store, pieces: ["p1", "p2"])]))
        await #expect(throws: StoreError.self) { try await store.deleteBucket("media") }
        _ = try await store.deleteObject(bucket: "media", key: "a")
        try await store.deleteBucket("media")
        #expect(try await store.bucket("media") == nil)
        await #expect(throws: StoreError.self) { try await store.putObject(object("b", blobs: [])) }
    }

    @Test(arguments: StoreEngine.allCases) func listingsRollUpPrefixesAndPage(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createBucket(BucketRecord(name: "media", owner: owner, createdMs: 1))
        for key in ["a/1", "a/2", "b", "c/x/1", "c/y", "d", "a", "a/"] {
            _ = try await store.putObject(object(key, blobs: []))
        }
        let all = try await store.listObjects(bucket: "media", prefix: "", delimiter: nil, after: nil, limit: 100)
        #expect(all.entries.map(\.key) == ["a", "a/", "a/1", "a/2", "b", "c/x/1", "c/y", "d"] && all.next == nil)
        let rolled = try await store.listObjects(bucket: "media", prefix: "", delimiter: "/", after: nil, limit: 100)
        #expect(rolled.entries.map(\.key) == ["a", "b", "d"] && rolled.commonPrefixes == ["a/", "c/"])
        // Pages of two: a prefix counts as one, and the next page starts after it.
        var seen: [String] = []
        var after: String? = nil
        repeat {
            let page = try await store.listObjects(bucket: "media", prefix: "", delimiter: "/", after: after, limit: 2)
            seen += page.entries.map(\.key) + page.commonPrefixes
            after = page.next
        } while after != nil
        #expect(seen.sorted() == ["a", "a/", "b", "c/", "d"])
        let inside = try await store.listObjects(bucket: "media", prefix: "a/", delimiter: "/", after: nil, limit: 100)
        #expect(inside.entries.map(\.key) == ["a/", "a/1", "a/2"] && inside.commonPrefixes.isEmpty)
        let deeper = try await store.listObjects(bucket: "media", prefix: "c/", delimiter: "/", after: nil, limit: 100)
        #expect(deeper.entries.map(\.key) == ["c/y"] && deeper.commonPrefixes == ["c/x/"])
    }

    @Test(arguments: StoreEngine.allCases) func piecesBecomeGarbageWithTheirLastReference(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createBucket(BucketRecord(name: "media", owner: owner, createdMs: 1))
        let shared = try await blob(store, pieces: ["s1", "s2", "s3"])
        #expect(try await store.putObject(object("original", blobs: [shared])).isEmpty)
        // A copy refers to the same blob: deleting the original frees nothing.
        #expect(try await store.putObject(object("copy", blobs: [shared])).isEmpty)
        #expect(try await store.deleteObject(bucket: "media", key: "original")?.isEmpty == true)
        #expect(try await store.blob(shared)?.segments.first?.pieces.count == 3)
        // Replacing the copy frees the blob's pieces.
        let next = try await blob(store, pieces: ["n1", "n2", "n3"])
        #expect(Set(try await store.putObject(object("copy", blobs: [next])).map(\.pieceID)) == ["s1", "s2", "s3"])
        #expect(try await store.blob(shared) == nil)
        #expect(try await store.deleteObject(bucket: "media", key: "missing") == nil)
        // An orphan (a blob nothing came to refer to) is swept once old enough.
        let orphan = try await blob(store, pieces: ["o1", "o2"])
        #expect(try await store.sweepOrphanBlobs(beforeMs: 1_000).isEmpty)
        #expect(Set(try await store.sweepOrphanBlobs(beforeMs: 1_001).map(\.pieceID)) == ["o1", "o2"])
        #expect(try await store.blob(orphan) == nil)
        #expect(try await store.blob(next) != nil)
    }

    @Test(arguments: StoreEngine.allCases) func multipartUploadsKeepTheChosenPartsAndFreeTheRest(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        try await store.createBucket(BucketRecord(name: "media", owner: owner, createdMs: 1))
        let upload = MultipartUpload(id: "u1", bucket: "media", key: "big", owner: owner, contentType: "video/mp4", metadata: [:], createdMs: 5)
        try await store.createUpload(upload)
        #expect(try await store.uploads(bucket: "media") == [upload])
        let one = try await blob(store, pieces: ["a1", "a2"]), two = try await blob(store, pieces: ["b1", "b2"])
        let again = try await blob(store, pieces: ["c1", "c2"]), three = try await blob(store, pieces: ["d1", "d2"])
        _ = try await store.putPart(upload: "u1", part: .init(number: 1, blob: one, size: 10, etag: "x", createdMs: 6))
        _ = try await store.putPart(upload: "u1", part: .init(number: 2, blob: two, size: 10, etag: "y", createdMs: 6))
        // Uploading part 2 again frees the first part 2.
        #expect(Set(try await store.putPart(upload: "u1", part: .init(number: 2, blob: again, size: 10, etag: "z", createdMs: 7)).map(\.pieceID)) == ["b1", "b2"])
        _ = try await store.putPart(upload: "u1", part: .init(number: 3, blob: three, size: 10, etag: "w", createdMs: 7))
        #expect(try await store.parts(upload: "u1").map(\.number) == [1, 2, 3])
        // Completing with parts 1 and 2 frees part 3, and ends the upload.
        let garbage = try await store.completeUpload("u1", as: object("big", blobs: [one, again]))
        #expect(Set(garbage.map(\.pieceID)) == ["d1", "d2"])
        #expect(try await store.upload("u1") == nil)
        #expect(try await store.object(bucket: "media", key: "big")?.parts.map(\.blob) == [one, again])
        await #expect(throws: StoreError.self) { try await store.putPart(upload: "u1", part: .init(number: 4, blob: three, size: 1, etag: "", createdMs: 8)) }
        // Aborting frees every part.
        try await store.createUpload(MultipartUpload(id: "u2", bucket: "media", key: "never", owner: owner, contentType: "", metadata: [:], createdMs: 9))
        let lost = try await blob(store, pieces: ["e1", "e2"])
        _ = try await store.putPart(upload: "u2", part: .init(number: 1, blob: lost, size: 10, etag: "v", createdMs: 9))
        #expect(Set(try await store.abortUpload("u2")?.map(\.pieceID) ?? []) == ["e1", "e2"])
        #expect(try await store.abortUpload("u2") == nil)
    }

    @Test(arguments: StoreEngine.allCases) func segmentsBelowTheRepairThresholdOnHealthyNodesAreTheOnesToRepair(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let whole = try await blob(store, pieces: ["a1", "a2", "a3"])
        let pair = try await blob(store, pieces: ["b1", "b2"])
        let all = Set(nodes)
        #expect(try await store.segmentsNeedingRepair(healthy: all, threshold: 3, limit: 10).map(\.blob) == [pair])
        #expect(try await store.segmentHealth(healthy: all, threshold: 2) == (2, 0))
        // The third node goes dark: the three-piece segment keeps two, the two-piece one both.
        let two = Set(nodes[0..<2])
        #expect(try await store.segmentHealth(healthy: two, threshold: 3) == (2, 2))
        #expect(try await store.segmentHealth(healthy: two, threshold: 2) == (2, 0))
        let lacking = try await store.segmentsNeedingRepair(healthy: Set(nodes[0..<1]), threshold: 2, limit: 10)
        #expect(lacking.count == 2 && lacking.allSatisfy { $0.pieces.count == $0.n })
        // A repair puts a new piece in the lost one's place and hands back the one it replaced.
        let moved = PiecePlacement(index: 2, pieceID: "a3-new", node: nodes[0], url: "http://127.0.0.1:9100")
        let replaced = try await store.replacePieces(blob: whole, segment: 0, with: [moved])
        #expect(replaced.map(\.pieceID) == ["a3"])
        #expect(try await store.segmentsNeedingRepair(healthy: two, threshold: 3, limit: 10).map(\.blob) == [pair])
    }
}
