import Core
import Foundation
import Hummingbird
import Logging
import Storage
import Store

/// The storage network's S3 gateway: the S3 API that real clients speak (path-style, SigV4),
/// over objects kept as erasure-coded pieces on storage nodes. It listens on its own port
/// (`depin node --s3-port`), shares the node's store, and signs piece orders with the orderer
/// key that storage nodes trust.
struct S3Gateway: HTTPResponder {
    typealias Context = BasicRequestContext

    let state: NodeState
    let parameters: StorageParameters
    let orderer: SigningKey
    let pool: StorageNodePool
    let client: StorageNodeClient
    let limits: S3Limits

    init(state: NodeState, parameters: StorageParameters, orderer: SigningKey, limits: S3Limits, heartbeatSeconds: Int64) {
        self.state = state
        self.parameters = parameters
        self.orderer = orderer
        self.limits = limits
        pool = StorageNodePool(store: state.store, heartbeatSeconds: heartbeatSeconds)
        client = StorageNodeClient(timeout: 30)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestID = String(UInt64.random(in: 0...UInt64.max), radix: 16, uppercase: true)
        var resource = request.uri.path
        do {
            let s3 = try S3Request(request)
            resource = s3.resource
            let caller = try await authenticate(s3)
            var response = try await route(s3, body: request.body, caller: caller)
            response.headers[.init("x-amz-request-id")!] = requestID
            return response
        } catch let error as S3Error {
            if error.code.status >= 500 {
                state.logger.warning("s3 request failed", metadata: ["code": "\(error.code.rawValue)", "message": "\(error.message)"])
            }
            return Self.errorResponse(error, resource: error.resource ?? resource, requestID: requestID, head: request.method == .head)
        } catch {
            state.logger.error("s3 request failed", metadata: ["error": "\(error)"])
            return Self.errorResponse(
                S3Error(.internalError, "We encountered an internal error. Please try again."), resource: resource, requestID: requestID,
                head: request.method == .head)
        }
    }

    /// The caller: the access key that signed the request, checked. Anonymous requests are refused.
    func authenticate(_ request: S3Request) async throws -> S3Caller {
        guard let authorization = try SignatureV4.authorization(of: request.signed) else {
            throw S3Error(.accessDenied, "anonymous requests are not allowed: sign with an access key (depin storage access-key create)")
        }
        guard let key = try await state.store.accessKey(id: authorization.accessKeyID) else {
            throw S3Error(.invalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.")
        }
        let payloadHash: String
        if authorization.expires != nil {
            payloadHash = SignatureV4.unsignedPayload
        } else {
            guard let declared = request.headers["x-amz-content-sha256"] else {
                throw S3Error(.invalidRequest, "a signed request needs an x-amz-content-sha256 header")
            }
            payloadHash = declared
        }
        if payloadHash.hasPrefix("STREAMING-") {
            throw S3Error(
                .notImplemented,
                "aws-chunked payloads (\(payloadHash)) are not supported; send the body whole, signed or UNSIGNED-PAYLOAD")
        }
        guard payloadHash == SignatureV4.unsignedPayload || (payloadHash.count == 64 && payloadHash.allSatisfy(\.isHexDigit)) else {
            throw S3Error(.invalidArgument, "x-amz-content-sha256 must be a SHA-256 in hex or UNSIGNED-PAYLOAD")
        }
        try SignatureV4.verify(
            authorization, request: request.signed, secret: key.secret, payloadHash: payloadHash,
            now: Date(timeIntervalSince1970: Double(state.clock.nowMs()) / 1000))
        return S3Caller(account: key.account, payloadSHA256: payloadHash == SignatureV4.unsignedPayload ? nil : payloadHash.lowercased())
    }

    func route(_ request: S3Request, body: RequestBody, caller: S3Caller) async throws -> Response {
        // An account with an unpaid storage charge may list, look and delete, not store or download.
        if ["PUT", "POST"].contains(request.method) || (request.method == "GET" && request.key != nil),
            !(request.method == "POST" && request.has("delete")),
            try await state.store.unpaidStorageCredits(caller.account) > .zero
        {
            throw S3Error(
                .accountProblem,
                "\(caller.account) owes credits for storage its balance did not cover: burn tokens for credits (depin wallet burn), then try again")
        }
        guard let bucket = request.bucket else {
            guard request.method == "GET" else { throw S3Error(.methodNotAllowed, "the service path takes GET (ListBuckets) only") }
            return try await listBuckets(caller)
        }
        guard let key = request.key else {
            switch request.method {
            case "PUT" where request.query.isEmpty: return try await createBucket(bucket, request: request, body: body, caller: caller)
            case "DELETE" where request.query.isEmpty: return try await deleteBucket(bucket, caller: caller)
            case "HEAD": return try await headBucket(bucket, caller: caller)
            case "GET" where request.has("location"): return try await bucketLocation(bucket, caller: caller)
            case "GET" where request.has("uploads"): return try await listUploads(bucket, caller: caller)
            case "GET" where request.query.allSatisfy({ Self.listParameters.contains($0.name) }):
                return try await listObjects(bucket, request: request, caller: caller)
            case "POST" where request.has("delete"): return try await deleteObjects(bucket, request: request, body: body, caller: caller)
            default:
                throw S3Error(
                    .notImplemented, "\(request.method) \(request.resource)?\(request.query.map(\.name).joined(separator: "&")) is not supported")
            }
        }
        switch request.method {
        case "PUT" where request.has("uploadId"):
            return try await uploadPart(bucket, key, request: request, body: body, caller: caller)
        case "PUT" where request.headers["x-amz-copy-source"] != nil:
            return try await copyObject(bucket, key, request: request, caller: caller)
        case "PUT": return try await putObject(bucket, key, request: request, body: body, caller: caller)
        case "GET" where request.has("uploadId"): return try await listParts(bucket, key, request: request, caller: caller)
        case "GET": return try await getObject(bucket, key, request: request, caller: caller, head: false)
        case "HEAD": return try await getObject(bucket, key, request: request, caller: caller, head: true)
        case "DELETE" where request.has("uploadId"): return try await abortUpload(bucket, key, request: request, caller: caller)
        case "DELETE": return try await deleteObject(bucket, key, caller: caller)
        case "POST" where request.has("uploads"): return try await createUpload(bucket, key, request: request, caller: caller)
        case "POST" where request.has("uploadId"):
            return try await completeUpload(bucket, key, request: request, body: body, caller: caller)
        default: throw S3Error(.methodNotAllowed, "\(request.method) is not allowed on an object")
        }
    }

    static let listParameters: Set<String> = [
        "list-type", "prefix", "delimiter", "max-keys", "continuation-token", "start-after", "encoding-type", "fetch-owner", "marker",
    ]

    /// The bucket `name`, when it exists and `caller` owns it.
    func ownedBucket(_ name: String, caller: S3Caller) async throws -> BucketRecord {
        guard let bucket = try await state.store.bucket(name) else {
            throw S3Error(.noSuchBucket, "The specified bucket does not exist", resource: "/\(name)")
        }
        guard bucket.owner == caller.account else { throw S3Error(.accessDenied, "Access Denied", resource: "/\(name)") }
        return bucket
    }

    /// Deletes `pieces` from their nodes (where they serve now) in the background.
    func discard(_ pieces: [PiecePlacement]) {
        guard !pieces.isEmpty else { return }
        let client = client, orderer = orderer, pool = pool, nowMs = state.clock.nowMs()
        Task {
            let addresses = (try? await pool.addresses(nowMs: nowMs)) ?? [:]
            let current = pieces.map { piece in
                var piece = piece
                piece.url = addresses[piece.node] ?? piece.url
                return piece
            }
            await BlobWriter.delete(current, client: client, orderer: orderer)
        }
    }

    static func xml(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/xml"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func errorResponse(_ error: S3Error, resource: String, requestID: String, head: Bool) -> Response {
        let document = S3XML.document("Error", namespaced: false) { xml in
            xml.element("Code", error.code.rawValue)
            xml.element("Message", error.message)
            xml.element("Resource", resource)
            xml.element("RequestId", requestID)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/xml"
        headers[.init("x-amz-request-id")!] = requestID
        let status = HTTPResponse.Status(code: error.code.status)
        return Response(status: status, headers: headers, body: head ? .init() : .init(byteBuffer: ByteBuffer(string: document)))
    }
}

/// Who is calling: the account of the access key that signed, and the body's declared SHA-256
/// when the client signed it (nil for UNSIGNED-PAYLOAD).
struct S3Caller: Sendable {
    let account: Address
    let payloadSHA256: String?
}

/// The gateway's size rules: S3's own by default (a part or a plain PUT up to 5 GiB, parts other
/// than the last at least 5 MiB, at most 10,000 parts).
public struct S3Limits: Sendable {
    public var maxObjectBytes: Int64 = 5 << 30
    public var maxPartBytes: Int64 = 5 << 30
    public var minPartBytes: Int64 = 5 << 20
    public var maxParts = 10_000

    public init() {}
}
