import Foundation
import Hummingbird
import NIOCore

/// JSON responses in one style: snake_case keys, sorted, amounts as decimal strings.
enum JSONBody {
    /// `value` as JSON; `convertKeys: false` keeps the value's own coding keys (for documents
    /// whose dictionary keys are data, such as epoch inputs).
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, convertKeys: Bool = true) throws
        -> Response
    {
        let encoder = JSONEncoder()
        if convertKeys { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// JSON written already.
    static func response(json: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
