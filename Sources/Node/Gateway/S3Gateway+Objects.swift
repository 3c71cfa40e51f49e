import Core
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage
import Store

extension S3Gateway {
    func putObject(_ bucket: String, _ key: String, request: S3Request, body: RequestBody, caller: S3Caller) async throws
        -> Response
    {
        _ = try await ownedBucket(bucket, caller: caller)
        try Self.checkKey(key)
        let written = try await writeBlob(body, request: request, caller: caller, limit: limits.maxObjectBytes)
        let object = ObjectRecord(
            bucket: bucket, key: key, size: written.size, etag: written.md5,
            contentType: request.headers["content-type"] ?? "binary/octet-stream", metadata: request.metadata,
            createdMs: state.clock.nowMs(), parts: [.init(blob: written.blob, size: written.size)])
        do { discard(try await state.store.putObject(object)) } catch let error as StoreError where error.code == .noSuchBucket {
            // The blob is an orphan now; the gateway's sweep deletes it.
            throw S3Error(.noSuchBucket, "The specified bucket does not exist")
        }
        var response = Response(status: .ok)
        response.headers[.eTag] = "\"\(written.md5)\""
        return response
    }

    func getObject(_ bucket: String, _ key: String, request: S3Request, caller: S3Caller, head: Bool) async throws -> Response {
        _ = try await ownedBucket(bucket, caller: caller)
        guard let object = try await state.store.object(bucket: bucket, key: key) else {
            throw S3Error(.noSuchKey, "The specified key does not exist.")
        }
        let quoted = "\"\(object.etag)\""
        if let match = request.headers["if-match"], !Self.etagList(match).contains(where: { $0 == "*" || $0 == object.etag }) {
            throw S3Error(.preconditionFailed, "At least one of the pre-conditions you specified did not hold")
        }
        var headers = HTTPFields()
        headers[.eTag] = quoted
        headers[.lastModified] = S3XML.httpDate(ms: object.createdMs)
        headers[.acceptRanges] = "bytes"
        headers[.contentType] = object.contentType
        for (name, value) in object.metadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name("x-amz-meta-" + name) { headers[field] = value }
        }
        if let none = request.headers["if-none-match"], Self.etagList(none).contains(where: { $0 == "*" || $0 == object.etag }) {
            return Response(status: .notModified, headers: headers)
        }
        var status = HTTPResponse.Status.ok
        var range: ClosedRange<Int64>? = object.size > 0 ? 0...(object.size - 1) : nil
        if let text = request.headers["range"], let wanted = try Self.byteRange(text, size: object.size) {
            range = wanted
            status = .partialContent
            headers[.contentRange] = "bytes \(wanted.lowerBound)-\(wanted.upperBound)/\(object.size)"
        }
        headers[.contentLength] = String(range.map { $0.count } ?? 0)
        guard !head, let range else { return Response(status: status, headers: headers) }
        var reads = try await segmentReads(object, range: range)
        // The first segment is read before the answer starts, so a segment that cannot be
        // rebuilt is an S3 error, not a cut-off body.
        let reader = BlobReader(client: client)
        var firstTally = BlobReader.Tally()
        let first = try await reads.removeFirst().read(with: reader, tally: &firstTally)
        let remaining = reads
        let logger = state.logger, store = state.store, account = caller.account, tallied = firstTally
        return Response(
            status: status, headers: headers,
            body: .init(contentLength: range.count) { writer in
                var tally = tallied
                var sent = Int64(first.count)
                // Egress is metered as it is sent, even when the download is cut short.
                defer {
                    let served = tally.served, bytes = sent
                    Task { try? await store.recordEgress(account: account, bytes: bytes, served: served) }
                }
                try await writer.write(ByteBuffer(bytes: first))
                for read in remaining {
                    do {
                        let bytes = try await read.read(with: reader, tally: &tally)
                        try await writer.write(ByteBuffer(bytes: bytes))
                        sent += Int64(bytes.count)
                    } catch {
                        logger.error("s3 GET cut short", metadata: ["key": "\(bucket)/\(key)", "error": "\(error)"])
                        throw error
                    }
                }
                try await writer.finish(nil)
            })
    }

    func deleteObject(_ bucket: String, _ key: String, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(bucket, caller: caller)
        if let garbage = try await state.store.deleteObject(bucket: bucket, key: key) { discard(garbage) }
        return Response(status: .noContent)
    }

    func copyObject(_ bucket: String, _ key: String, request: S3Request, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(bucket, caller: caller)
        try Self.checkKey(key)
        let original = try await copySource(request, caller: caller)
        let sourceBucket = original.bucket, sourceKey = original.key
        let replace = request.headers["x-amz-metadata-directive"]?.uppercased() == "REPLACE"
        if sourceBucket == bucket, sourceKey == key, !replace {
            throw S3Error(
                .invalidRequest,
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
        }
        var copy = original
        copy.bucket = bucket
        copy.key = key
        copy.createdMs = state.clock.nowMs()
        if replace {
            copy.contentType = request.headers["content-type"] ?? "binary/octet-stream"
            copy.metadata = request.metadata
        }
        // The copy refers to the same blobs: no bytes move, and the blobs live while either does.
        discard(try await state.store.putObject(copy))
        return Self.xml(
            S3XML.document("CopyObjectResult") { xml in
                xml.element("LastModified", S3XML.timestamp(ms: copy.createdMs))
                xml.element("ETag", "\"\(copy.etag)\"")
            })
    }

    /// The object x-amz-copy-source names (`bucket/key`, percent-encoded, with an optional
    /// `?versionId=`), when `caller` owns its bucket.
    func copySource(_ request: S3Request, caller: S3Caller) async throws -> ObjectRecord {
        var source = request.headers["x-amz-copy-source"] ?? ""
        if let question = source.firstIndex(of: "?") { source = String(source[..<question]) }
        source = (source.removingPercentEncoding ?? source).drop { $0 == "/" }.description
        guard let slash = source.firstIndex(of: "/"), slash != source.startIndex, source.index(after: slash) != source.endIndex else {
            throw S3Error(.invalidArgument, "x-amz-copy-source must be bucket/key")
        }
        let sourceBucket = String(source[..<slash]), sourceKey = String(source[source.index(after: slash)...])
        _ = try await ownedBucket(sourceBucket, caller: caller)
        guard let original = try await state.store.object(bucket: sourceBucket, key: sourceKey) else {
            throw S3Error(.noSuchKey, "The specified key does not exist.", resource: "/\(sourceBucket)/\(sourceKey)")
        }
        return original
    }

    /// UploadPartCopy's bytes: the range x-amz-copy-source-range names of the source (or all of
    /// it), read back from the storage nodes and placed again as a new blob.
    func copyBlob(request: S3Request, caller: S3Caller) async throws -> (blob: Int64, size: Int64, md5: String) {
        let source = try await copySource(request, caller: caller)
        var range: ClosedRange<Int64>? = source.size > 0 ? 0...(source.size - 1) : nil
        if let text = request.headers["x-amz-copy-source-range"] {
            guard let wanted = try Self.byteRange(text, size: source.size), text.dropFirst(6).first != "-" else {
                throw S3Error(.invalidArgument, "x-amz-copy-source-range must be bytes=first-last within the source object")
            }
            range = wanted
        }
        let length = Int64(range?.count ?? 0)
        guard length <= limits.maxPartBytes else {
            throw S3Error(.entityTooLarge, "a part of \(length) bytes exceeds the maximum allowed size of \(limits.maxPartBytes) bytes")
        }
        let writer = try await blobWriter(length: length)
        do {
            if let range {
                let reader = BlobReader(client: client)
                var tally = BlobReader.Tally()
                for read in try await segmentReads(source, range: range) {
                    try await writer.append(try await read.read(with: reader, tally: &tally))
                }
            }
            let (blob, md5, _) = try await writer.finish()
            let id = try await state.store.addBlob(blob, nowMs: state.clock.nowMs())
            return (id, blob.size, md5)
        } catch {
            await writer.discard()
            throw error
        }
    }

    /// A writer for a blob of `length` bytes onto the storage nodes online now.
    func blobWriter(length: Int64) async throws -> BlobWriter {
        let code = try ErasureCode(k: parameters.dataPieces, n: parameters.totalPieces)
        let pieceBytes = code.pieceSize(forSegmentOf: Int(min(Int64(parameters.segmentBytes), max(length, 1))))
        let candidates = try await pool.candidates(pieceBytes: pieceBytes, nowMs: state.clock.nowMs(), wanted: code.n)
        return BlobWriter(
            code: code, segmentBytes: parameters.segmentBytes, minimumPieces: parameters.repairThreshold, candidates: candidates,
            client: client, orderer: orderer)
    }

    /// Reads `body` into a new blob on the storage nodes and checks it against what the client
    /// declared (length, SHA-256, Content-MD5); on any failure the pieces placed are deleted.
    func writeBlob(_ body: RequestBody, request: S3Request, caller: S3Caller, limit: Int64) async throws
        -> (blob: Int64, size: Int64, md5: String)
    {
        guard let length = request.contentLength else {
            throw S3Error(.missingContentLength, "You must provide the Content-Length HTTP header.")
        }
        guard length <= limit else {
            throw S3Error(.entityTooLarge, "Your proposed upload of \(length) bytes exceeds the maximum allowed size of \(limit) bytes")
        }
        var checksum = try PayloadChecksum.declared(in: request.headers)
        let writer = try await blobWriter(length: length)
        do {
            do {
                for try await buffer in body {
                    guard writer.size + Int64(buffer.readableBytes) <= length else {
                        throw S3Error(.invalidRequest, "the body is longer than its Content-Length")
                    }
                    checksum?.update(buffer.readableBytesView)
                    try await writer.append(Array(buffer.readableBytesView))
                }
            } catch let error as S3Error { throw error } catch {
                throw S3Error(.incompleteBody, "the body ended before its Content-Length of \(length) bytes")
            }
            let (blob, md5, sha256) = try await writer.finish()
            guard blob.size == length else {
                throw S3Error(.incompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header")
            }
            if let declared = caller.payloadSHA256, declared != sha256 {
                throw S3Error(.xAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
            }
            if let text = request.headers["content-md5"] {
                guard let digest = Data(base64Encoded: text), digest.count == 16 else {
                    throw S3Error(.invalidDigest, "The Content-MD5 you specified is not valid.")
                }
                guard digest.hexString == md5 else {
                    throw S3Error(.badDigest, "The Content-MD5 you specified did not match what we received.")
                }
            }
            _ = try checksum?.verified()
            let id = try await state.store.addBlob(blob, nowMs: state.clock.nowMs())
            if !writer.problems.isEmpty {
                state.logger.warning("storage nodes passed over", metadata: ["problems": "\(writer.problems.joined(separator: "; "))"])
                pool.invalidate()
            }
            return (id, blob.size, md5)
        } catch {
            await writer.discard()
            if !writer.problems.isEmpty { pool.invalidate() }
            throw error
        }
    }

    /// The segment reads that cover `range` of `object`, in order.
    func segmentReads(_ object: ObjectRecord, range: ClosedRange<Int64>) async throws -> [SegmentRead] {
        let addresses = try await pool.addresses(nowMs: state.clock.nowMs())
        var reads: [SegmentRead] = []
        var partStart: Int64 = 0
        for part in object.parts {
            defer { partStart += part.size }
            let partEnd = partStart + part.size - 1
            guard part.size > 0, partEnd >= range.lowerBound, partStart <= range.upperBound else { continue }
            guard let blob = try await state.store.blob(part.blob) else {
                throw S3Error(.internalError, "object \(object.bucket)/\(object.key) refers to blob \(part.blob), which is gone")
            }
            var segmentStart = partStart
            for segment in blob.segments {
                defer { segmentStart += Int64(segment.length) }
                let segmentEnd = segmentStart + Int64(segment.length) - 1
                guard segmentEnd >= range.lowerBound, segmentStart <= range.upperBound else { continue }
                let from = Int(max(range.lowerBound, segmentStart) - segmentStart)
                let through = Int(min(range.upperBound, segmentEnd) - segmentStart)
                reads.append(SegmentRead(segment: pool.relocated(segment, to: addresses), k: blob.k, n: blob.n, slice: from...through))
            }
        }
        return reads
    }

    /// The byte range a Range header asks of an object of `size` bytes: nil to send it whole
    /// (a header S3 ignores), InvalidRange when no byte of it is in the object.
    static func byteRange(_ text: String, size: Int64) throws(S3Error) -> ClosedRange<Int64>? {
        guard text.hasPrefix("bytes="), !text.contains(",") else { return nil }
        let spec = text.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2 else { return nil }
        let unsatisfiable = S3Error(.invalidRange, "The requested range is not satisfiable")
        if spec[0].isEmpty {
            guard let suffix = Int64(spec[1]) else { return nil }
            guard suffix > 0, size > 0 else { throw unsatisfiable }
            return max(size - suffix, 0)...(size - 1)
        }
        guard let start = Int64(spec[0]) else { return nil }
        guard start < size else { throw unsatisfiable }
        let end = spec[1].isEmpty ? size - 1 : Int64(spec[1])
        guard let end, end >= start else { return nil }
        return start...min(end, size - 1)
    }

    /// The entity tags of an If-Match or If-None-Match header, without quotes.
    static func etagList(_ header: String) -> [String] {
        header.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    /// S3's key rule: 1 to 1,024 bytes of UTF-8.
    static func checkKey(_ key: String) throws(S3Error) {
        guard (1...1_024).contains(key.utf8.count) else {
            throw S3Error(.invalidArgument, "an object key is 1 to 1024 bytes of UTF-8; this one is \(key.utf8.count)")
        }
    }
}

/// One segment's share of a GET: which bytes of it to send.
struct SegmentRead: Sendable {
    let segment: BlobRecord.Segment
    let k: Int
    let n: Int
    let slice: ClosedRange<Int>

    func read(with reader: BlobReader, tally: inout BlobReader.Tally) async throws -> [UInt8] {
        let bytes = try await reader.segment(segment, k: k, n: n, tally: &tally)
        return slice == 0...(bytes.count - 1) ? bytes : Array(bytes[slice])
    }
}
