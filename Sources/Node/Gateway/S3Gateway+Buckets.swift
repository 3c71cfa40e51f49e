import Core
import Hummingbird
import Storage
import Store

extension S3Gateway {
    func listBuckets(_ caller: S3Caller) async throws -> Response {
        let buckets = try await state.store.buckets(owner: caller.account)
        return Self.xml(
            S3XML.document("ListAllMyBucketsResult") { xml in
                xml.element("Owner") { owner in
                    owner.element("ID", caller.account.description)
                    owner.element("DisplayName", caller.account.description)
                }
                xml.element("Buckets") { list in
                    for bucket in buckets {
                        list.element("Bucket") { entry in
                            entry.element("Name", bucket.name)
                            entry.element("CreationDate", S3XML.timestamp(ms: bucket.createdMs))
                        }
                    }
                }
            })
    }

    func createBucket(_ name: String, request: S3Request, body: RequestBody, caller: S3Caller) async throws -> Response {
        try Self.checkBucketName(name)
        if let existing = try await state.store.bucket(name) {
            throw existing.owner == caller.account
                ? S3Error(.bucketAlreadyOwnedByYou, "Your previous request to create the named bucket succeeded and you already own it.")
                : S3Error(.bucketAlreadyExists, "The requested bucket name is not available. Please select a different name and try again.")
        }
        do {
            try await state.store.createBucket(BucketRecord(name: name, owner: caller.account, createdMs: state.clock.nowMs()))
        } catch let error as StoreError where error.code == .bucketExists {
            throw S3Error(.bucketAlreadyExists, "The requested bucket name is not available. Please select a different name and try again.")
        }
        var response = Response(status: .ok)
        response.headers[.location] = "/\(name)"
        return response
    }

    func deleteBucket(_ name: String, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(name, caller: caller)
        do { try await state.store.deleteBucket(name) } catch let error as StoreError {
            switch error.code {
            case .bucketNotEmpty: throw S3Error(.bucketNotEmpty, "The bucket you tried to delete is not empty")
            case .noSuchBucket: throw S3Error(.noSuchBucket, "The specified bucket does not exist")
            default: throw error
            }
        }
        return Response(status: .noContent)
    }

    func headBucket(_ name: String, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(name, caller: caller)
        return Response(status: .ok)
    }

    func bucketLocation(_ name: String, caller: S3Caller) async throws -> Response {
        _ = try await ownedBucket(name, caller: caller)
        return Self.xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"\(S3XML.namespace)\"/>")
    }

    /// S3's bucket naming rules: 3 to 63 characters of lower-case letters, digits, dots and
    /// hyphens, beginning and ending with a letter or digit, no two dots together, not an IP address.
    static func checkBucketName(_ name: String) throws(S3Error) {
        let allowed = name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D }
        let ends = { (byte: UInt8?) in byte.map { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) } ?? false }
        let isAddress = name.split(separator: ".").count == 4 && name.split(separator: ".").allSatisfy { UInt8($0) != nil }
        guard (3...63).contains(name.utf8.count), allowed, ends(name.utf8.first), ends(name.utf8.last), !name.contains(".."),
            !isAddress
        else {
            throw S3Error(
                .invalidBucketName,
                "\(name) is not a valid bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit",
                resource: "/\(name)")
        }
    }
}
