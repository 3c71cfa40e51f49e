import Core
import Foundation
import Hummingbird
import Store

/// The content store over HTTP: `PUT /v1/content` stores a file and answers its SHA-256;
/// `GET /v1/content/{sha256}` returns it.
struct ContentRoutes {
    let state: NodeState

    struct Stored: Encodable {
        var sha256: String
        var bytes: Int
    }

    func add(to router: Router<BasicRequestContext>) {
        router.put("/v1/content") { request, _ in
            let body = try await WireBody.collect(request, limit: state.configuration.maxContentBytes)
            guard body.readableBytes > 0 else { throw NodeError.coded("empty_content", "the body is empty") }
            let data = Data(body.readableBytesView)
            let address = try state.content.put(data)
            return try JSONBody.response(Stored(sha256: address, bytes: data.count), status: .created)
        }
        router.get("/v1/content/{sha256}") { _, context in
            let address = context.parameters.get("sha256") ?? ""
            guard ContentStore.isAddress(address) else {
                throw NodeError.coded("invalid_content_address", "a content address is 64 lower-case hex digits")
            }
            guard let data = state.content.get(address) else {
                throw NodeError.coded("content_not_found", "no content \(address)")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.contentLength] = String(data.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
