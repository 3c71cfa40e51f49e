import Core
import Foundation
import Hummingbird
import Storage
import Store

extension S3Gateway {
    /// ListObjectsV2 (`list-type=2`) and the original ListObjects.
    func listObjects(_ bucket: String, request: S3Request, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(bucket, caller: caller)
        let version2 = request.query("list-type") == "2"
        let prefix = request.query("prefix") ?? ""
        let delimiter = request.query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        guard let maxKeys = Int(request.query("max-keys") ?? "1000"), maxKeys >= 0 else {
            throw S3Error(.invalidArgument, "max-keys must be an integer from 0 to 2147483647")
        }
        let limit = min(maxKeys, 1_000)
        var after: String? = nil
        if version2 {
            if let token = request.query("continuation-token") {
                guard let data = Data(base64Encoded: token), let marker = String(data: data, encoding: .utf8) else {
                    throw S3Error(.invalidArgument, "The continuation token provided is incorrect")
                }
                after = marker
            } else {
                after = request.query("start-after")
            }
        } else {
            after = request.query("marker")
        }
        let encodeKeys = request.query("encoding-type") == "url"
        if let type = request.query("encoding-type"), type != "url" {
            throw S3Error(.invalidArgument, "Invalid Encoding Method specified in Request: \(type)")
        }
        let encode = { (text: String) in encodeKeys ? SignatureV4.encode(text, keepSlash: true) : text }
        let listing =
            limit == 0
            ? ObjectListing()
            : try await state.store.listObjects(bucket: bucket, prefix: prefix, delimiter: delimiter, after: after, limit: limit)
        let document = S3XML.document("ListBucketResult") { xml in
            xml.element("Name", bucket)
            xml.element("Prefix", encode(prefix))
            if let delimiter { xml.element("Delimiter", encode(delimiter)) }
            xml.element("MaxKeys", String(maxKeys))
            if encodeKeys { xml.element("EncodingType", "url") }
            xml.element("IsTruncated", listing.next == nil ? "false" : "true")
            if version2 {
                xml.element("KeyCount", String(listing.entries.count + listing.commonPrefixes.count))
                if let token = request.query("continuation-token") { xml.element("ContinuationToken", token) }
                if let next = listing.next { xml.element("NextContinuationToken", Data(next.utf8).base64EncodedString()) }
                if let start = request.query("start-after") { xml.element("StartAfter", encode(start)) }
            } else {
                xml.element("Marker", encode(request.query("marker") ?? ""))
                if let next = listing.next, delimiter != nil { xml.element("NextMarker", encode(next)) }
            }
            for entry in listing.entries {
                xml.element("Contents") { contents in
                    contents.element("Key", encode(entry.key))
                    contents.element("LastModified", S3XML.timestamp(ms: entry.createdMs))
                    contents.element("ETag", "\"\(entry.etag)\"")
                    contents.element("Size", String(entry.size))
                    contents.element("StorageClass", "STANDARD")
                    if !version2 || request.query("fetch-owner") == "true" {
                        contents.element("Owner") { owner in
                            owner.element("ID", caller.account.description)
                            owner.element("DisplayName", caller.account.description)
                        }
                    }
                }
            }
            for common in listing.commonPrefixes {
                xml.element("CommonPrefixes") { entry in entry.element("Prefix", encode(common)) }
            }
        }
        return Self.xml(document)
    }

    /// DeleteObjects: up to 1,000 keys in one request.
    func deleteObjects(_ bucket: String, request: S3Request, body: RequestBody, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(bucket, caller: caller)
        let document = try await smallBody(body, caller: caller, request: request)
        let objects = S3XML.elements("Object", in: Substring(document))
        guard !objects.isEmpty, objects.count <= 1_000 else {
            throw S3Error(.malformedXML, "a Delete request names 1 to 1000 objects, each an Object with a Key")
        }
        var keys: [String] = []
        for object in objects {
            guard let key = S3XML.value("Key", in: object), !key.isEmpty else {
                throw S3Error(.malformedXML, "each Object of a Delete request needs a Key")
            }
            keys.append(key)
        }
        let quiet = S3XML.value("Quiet", in: Substring(document)) == "true"
        var garbage: [PiecePlacement] = []
        for key in keys {
            garbage += try await state.store.deleteObject(bucket: bucket, key: key) ?? []
        }
        discard(garbage)
        return Self.xml(
            S3XML.document("DeleteResult") { xml in
                guard !quiet else { return }
                for key in keys { xml.element("Deleted") { entry in entry.element("Key", key) } }
            })
    }
}
