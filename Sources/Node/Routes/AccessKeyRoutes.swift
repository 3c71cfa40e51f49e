import Core
import Foundation
import Hummingbird
import Logging
import Storage
import Store

/// S3 access keys: an account creates one with a signed request and gets the secret once, in the
/// answer; it lists its keys (ids only) and deletes one with another signed request.
struct AccessKeyRoutes {
    let state: NodeState

    struct Created: Encodable {
        var accessKeyId: String
        var secretAccessKey: String
        var account: String
        var createdMs: Int64
    }

    struct Listed: Encodable {
        var accessKeyId: String
        var createdMs: Int64
    }

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/storage/access-keys") { request, _ in
            let signed = try await Self.request(request, action: "create")
            let account = try verify(signed)
            let key = AccessKey(
                id: Self.random(20, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", prefix: "DPN"),
                secret: Self.random(40, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
                account: account, createdMs: state.clock.nowMs())
            do { try await state.store.createAccessKey(key, requestMs: signed.timestampMs, request: try JSONEncoder().encode(signed)) } catch let error as StoreError
                where error.code == .replayedRequest
            {
                throw NodeError(.conflict, error.code.rawValue, error.message)
            }
            state.logger.info("s3 access key created", metadata: ["account": "\(account)", "access_key_id": "\(key.id)"])
            return try JSONBody.response(
                Created(accessKeyId: key.id, secretAccessKey: key.secret, account: account.description, createdMs: key.createdMs),
                status: .created)
        }
        router.get("/v1/storage/access-keys") { request, _ in
            guard let text = request.uri.queryParameters.get("account") else {
                throw NodeError.coded("missing_account", "name the account: ?account=ADDRESS")
            }
            let account = try LedgerRoutes.address(text)
            return try JSONBody.response(
                try await state.store.accessKeys(account: account).map { Listed(accessKeyId: $0.id, createdMs: $0.createdMs) })
        }
        router.delete("/v1/storage/access-keys/{id}") { request, context in
            let id = context.parameters.get("id") ?? ""
            let signed = try await Self.request(request, action: "delete")
            guard signed.accessKeyID == id else {
                throw NodeError.coded("malformed_request", "the signed request names access key \(signed.accessKeyID ?? "none"), not \(id)")
            }
            let account = try verify(signed)
            guard try await state.store.deleteAccessKey(id: id, account: account) else {
                throw NodeError(.notFound, "unknown_access_key", "\(account) has no access key \(id)")
            }
            return Response(status: .noContent)
        }
    }

    private func verify(_ signed: AccessKeyRequest) throws -> Address {
        let account: Address
        do { account = try signed.verify(nowMs: state.clock.nowMs()) } catch {
            let code =
                switch error.code {
                case .signatureDoesNotMatch: "bad_signature"
                case .requestTimeTooSkewed: "stale_request"
                default: "malformed_request"
                }
            throw NodeError.coded(code, error.message)
        }
        try state.throttle(account: account)
        return account
    }

    private static func request(_ request: Request, action: String) async throws -> AccessKeyRequest {
        let body = try await WireBody.collect(request, limit: 4_096)
        guard let signed = try? JSONDecoder().decode(AccessKeyRequest.self, from: Data(body.readableBytesView)) else {
            throw NodeError.coded(
                "malformed_request", "send {\"action\": \"\(action)\", \"account\": ADDRESS, \"timestamp_ms\": MS, \"signature\": HEX}")
        }
        guard signed.action == action else {
            throw NodeError.coded("malformed_request", "this request's action is \(action), not \(signed.action)")
        }
        return signed
    }

    private static func random(_ count: Int, alphabet: String, prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let letters = Array(alphabet)
        return prefix + String((prefix.count..<count).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
    }
}
