import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import NIOCore
import Storage
import Store
import Testing

/// S3 access keys: an account creates one with a signed request and sees the secret once; a
/// replayed, forged or stale request is refused and creates nothing.
@Suite struct AccessKeyRouteTests {
    @Test func anAccountCreatesListsAndDeletesItsKeys() async throws {
        let world = try await NodeWorld(storage: true)
        let account = SigningKey()
        let json: HTTPFields = [.contentType: "application/json"]
        try await world.app.test(.router) { client in
            func send(_ request: AccessKeyRequest, method: HTTPRequest.Method = .post, path: String = "/v1/storage/access-keys")
                async throws -> (HTTPResponse.Status, [String: Any])
            {
                let response = try await client.execute(
                    uri: path, method: method, headers: json, body: ByteBuffer(bytes: try JSONEncoder().encode(request)))
                let body = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]) ?? [:]
                return (response.status, body)
            }
            let request = AccessKeyRequest(action: "create", key: account, timestampMs: world.nowMs)
            let (status, created) = try await send(request)
            #expect(status == .created)
            let id = try #require(created["access_key_id"] as? String)
            #expect(id.count == 20 && id.hasPrefix("DPN") && (created["secret_access_key"] as? String)?.count == 40)
            #expect(created["account"] as? String == account.address.description)

            // The same request again, another account's signature, an old request: refused.
            let replay = try await send(request)
            #expect(replay.0 == .conflict && replay.1["error"] as? String == "replayed_request")
            var forged = AccessKeyRequest(action: "create", key: SigningKey(), timestampMs: world.nowMs + 1)
            forged.account = account.address.description
            #expect(try await send(forged).1["error"] as? String == "bad_signature")
            let stale = AccessKeyRequest(action: "create", key: account, timestampMs: world.nowMs - 600_000)
            #expect(try await send(stale).1["error"] as? String == "stale_request")
            let wrongAction = AccessKeyRequest(action: "delete", key: account, timestampMs: world.nowMs + 2, accessKeyID: id)
            #expect(try await send(wrongAction).1["error"] as? String == "malformed_request")

            let listed = try await client.execute(uri: "/v1/storage/access-keys?account=\(account.address)", method: .get)
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.readableBytesView)) as? [[String: Any]])
            #expect(keys.map { $0["access_key_id"] as? String } == [id] && keys.allSatisfy { $0["secret_access_key"] == nil })

            // Deleting needs the owner's signature over that key's id.
            let other = AccessKeyRequest(action: "delete", key: SigningKey(), timestampMs: world.nowMs, accessKeyID: id)
            #expect(try await send(other, method: .delete, path: "/v1/storage/access-keys/\(id)").0 == .notFound)
            let mismatched = AccessKeyRequest(action: "delete", key: account, timestampMs: world.nowMs, accessKeyID: "OTHER")
            #expect(try await send(mismatched, method: .delete, path: "/v1/storage/access-keys/\(id)").1["error"] as? String == "malformed_request")
            let delete = AccessKeyRequest(action: "delete", key: account, timestampMs: world.nowMs, accessKeyID: id)
            #expect(try await send(delete, method: .delete, path: "/v1/storage/access-keys/\(id)").0 == .noContent)
            #expect(try await world.store.accessKey(id: id) == nil)
        }
    }
}
