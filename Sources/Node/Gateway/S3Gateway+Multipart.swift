import Core
import Crypto
import Foundation
import Hummingbird
import Storage
import Store

extension S3Gateway {
    func createUpload(_ bucket: String, _ key: String, request: S3Request, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(bucket, caller: caller)
        try Self.checkKey(key)
        let id = (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
        let upload = MultipartUpload(
            id: id, bucket: bucket, key: key, owner: caller.account,
            contentType: request.headers["content-type"] ?? "binary/octet-stream", metadata: request.metadata,
            createdMs: state.clock.nowMs())
        do { try await state.store.createUpload(upload) } catch let error as StoreError where error.code == .noSuchBucket {
            throw S3Error(.noSuchBucket, "The specified bucket does not exist")
        }
        return Self.xml(
            S3XML.document("InitiateMultipartUploadResult") { xml in
                xml.element("Bucket", bucket)
                xml.element("Key", key)
                xml.element("UploadId", id)
            })
    }

    func uploadPart(_ bucket: String, _ key: String, request: S3Request, body: RequestBody, caller: S3Caller) async throws
        -> Response
    {
        let upload = try await ownedUpload(request.query("uploadId"), bucket: bucket, key: key, caller: caller)
        guard let text = request.query("partNumber"), let number = Int(text), (1...limits.maxParts).contains(number) else {
            throw S3Error(.invalidArgument, "Part number must be an integer between 1 and \(limits.maxParts), inclusive")
        }
        let copying = request.headers["x-amz-copy-source"] != nil
        let written =
            copying
            ? try await copyBlob(request: request, caller: caller)
            : try await writeBlob(body, request: request, caller: caller, limit: limits.maxPartBytes)
        let part = MultipartUpload.Part(
            number: number, blob: written.blob, size: written.size, etag: written.md5, createdMs: state.clock.nowMs())
        do { discard(try await state.store.putPart(upload: upload.id, part: part)) } catch let error as StoreError
            where error.code == .noSuchUpload
        {
            throw Self.noSuchUpload
        }
        if copying {
            return Self.xml(
                S3XML.document("CopyPartResult") { xml in
                    xml.element("LastModified", S3XML.timestamp(ms: part.createdMs))
                    xml.element("ETag", "\"\(written.md5)\"")
                })
        }
        var response = Response(status: .ok)
        response.headers[.eTag] = "\"\(written.md5)\""
        return response
    }

    func listParts(_ bucket: String, _ key: String, request: S3Request, caller: S3Caller) async throws -> Response {
        let upload = try await ownedUpload(request.query("uploadId"), bucket: bucket, key: key, caller: caller)
        let marker = request.query("part-number-marker").flatMap { Int($0) } ?? 0
        let maxParts = min(max(request.query("max-parts").flatMap { Int($0) } ?? 1_000, 0), 1_000)
        let after = try await state.store.parts(upload: upload.id).filter { $0.number > marker }
        let page = after.prefix(maxParts)
        return Self.xml(
            S3XML.document("ListPartsResult") { xml in
                xml.element("Bucket", bucket)
                xml.element("Key", key)
                xml.element("UploadId", upload.id)
                xml.element("PartNumberMarker", String(marker))
                xml.element("NextPartNumberMarker", String(page.last?.number ?? marker))
                xml.element("MaxParts", String(maxParts))
                xml.element("IsTruncated", after.count > page.count ? "true" : "false")
                xml.element("StorageClass", "STANDARD")
                for part in page {
                    xml.element("Part") { entry in
                        entry.element("PartNumber", String(part.number))
                        entry.element("LastModified", S3XML.timestamp(ms: part.createdMs))
                        entry.element("ETag", "\"\(part.etag)\"")
                        entry.element("Size", String(part.size))
                    }
                }
            })
    }

    func completeUpload(_ bucket: String, _ key: String, request: S3Request, body: RequestBody, caller: S3Caller) async throws
        -> Response
    {
        let upload = try await ownedUpload(request.query("uploadId"), bucket: bucket, key: key, caller: caller)
        let document = try await smallBody(body, caller: caller)
        var chosen: [(number: Int, etag: String)] = []
        for part in S3XML.elements("Part", in: Substring(document)) {
            guard let number = S3XML.value("PartNumber", in: part).flatMap({ Int($0) }), let etag = S3XML.value("ETag", in: part) else {
                throw S3Error(.malformedXML, "each Part of a CompleteMultipartUpload needs a PartNumber and an ETag")
            }
            chosen.append((number, etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))))
        }
        guard !chosen.isEmpty else {
            throw S3Error(.malformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
        }
        guard zip(chosen, chosen.dropFirst()).allSatisfy({ $0.number < $1.number }) else {
            throw S3Error(.invalidPartOrder, "The list of parts was not in ascending order. The parts list must be specified in order by part number.")
        }
        let uploaded = Dictionary(uniqueKeysWithValues: try await state.store.parts(upload: upload.id).map { ($0.number, $0) })
        var parts: [MultipartUpload.Part] = []
        for (number, etag) in chosen {
            guard let part = uploaded[number], part.etag == etag else {
                throw S3Error(
                    .invalidPart,
                    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
            }
            parts.append(part)
        }
        for part in parts.dropLast() where part.size < limits.minPartBytes {
            throw S3Error(
                .entityTooSmall,
                "Your proposed upload is smaller than the minimum allowed size: part \(part.number) is \(part.size) bytes; every part but the last must be at least \(limits.minPartBytes)")
        }
        var digests = Data()
        for part in parts { digests.append(Data(hex: part.etag) ?? Data()) }
        let etag = Data(Insecure.MD5.hash(data: digests)).hexString + "-\(parts.count)"
        let object = ObjectRecord(
            bucket: bucket, key: key, size: parts.reduce(0) { $0 + $1.size }, etag: etag, contentType: upload.contentType,
            metadata: upload.metadata, createdMs: state.clock.nowMs(), parts: parts.map { .init(blob: $0.blob, size: $0.size) })
        do { discard(try await state.store.completeUpload(upload.id, as: object)) } catch let error as StoreError {
            switch error.code {
            case .noSuchUpload: throw Self.noSuchUpload
            case .noSuchBucket: throw S3Error(.noSuchBucket, "The specified bucket does not exist")
            default: throw error
            }
        }
        return Self.xml(
            S3XML.document("CompleteMultipartUploadResult") { xml in
                xml.element("Location", "/\(bucket)/\(key)")
                xml.element("Bucket", bucket)
                xml.element("Key", key)
                xml.element("ETag", "\"\(etag)\"")
            })
    }

    func abortUpload(_ bucket: String, _ key: String, request: S3Request, caller: S3Caller) async throws -> Response {
        let upload = try await ownedUpload(request.query("uploadId"), bucket: bucket, key: key, caller: caller)
        guard let garbage = try await state.store.abortUpload(upload.id) else { throw Self.noSuchUpload }
        discard(garbage)
        return Response(status: .noContent)
    }

    func listUploads(_ bucket: String, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(bucket, caller: caller)
        let uploads = try await state.store.uploads(bucket: bucket)
        return Self.xml(
            S3XML.document("ListMultipartUploadsResult") { xml in
                xml.element("Bucket", bucket)
                xml.element("MaxUploads", "1000")
                xml.element("IsTruncated", "false")
                for upload in uploads.prefix(1_000) {
                    xml.element("Upload") { entry in
                        entry.element("Key", upload.key)
                        entry.element("UploadId", upload.id)
                        entry.element("Initiated", S3XML.timestamp(ms: upload.createdMs))
                        entry.element("StorageClass", "STANDARD")
                    }
                }
            })
    }

    /// The upload `id` of `bucket`/`key`, when `caller` owns it.
    func ownedUpload(_ id: String?, bucket: String, key: String, caller: S3Caller) async throws -> MultipartUpload {
        _ = try await ownedBucket(bucket, caller: caller)
        guard let id, let upload = try await state.store.upload(id), upload.bucket == bucket, upload.key == key else {
            throw Self.noSuchUpload
        }
        guard upload.owner == caller.account else { throw S3Error(.accessDenied, "Access Denied") }
        return upload
    }

    static let noSuchUpload = S3Error(
        .noSuchUpload,
        "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.")

    /// A request document (at most 1 MiB), checked against the declared SHA-256 and Content-MD5.
    func smallBody(_ body: RequestBody, caller: S3Caller, request: S3Request? = nil) async throws -> String {
        var data = Data()
        for try await buffer in body {
            data.append(contentsOf: buffer.readableBytesView)
            guard data.count <= 1 << 20 else { throw S3Error(.entityTooLarge, "a request document is at most 1 MiB") }
        }
        if let declared = caller.payloadSHA256, declared != SHA256Digest.hex(data) {
            throw S3Error(.xAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        if let text = request?.headers["content-md5"], Data(base64Encoded: text) != Data(Insecure.MD5.hash(data: data)) {
            throw S3Error(.badDigest, "The Content-MD5 you specified did not match what we received.")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
