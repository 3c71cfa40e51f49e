import Foundation
import Hummingbird
import NIOCore
import SwiftProtobuf

/// Reads a request body as a protobuf message: binary (`application/x-protobuf` or
/// `application/octet-stream`) or the protobuf JSON mapping (`application/json`, the default).
enum WireBody {
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw NodeError.coded("body_too_large", "the body is \(length) bytes; the limit is \(limit)")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw NodeError.coded("body_too_large", "the body is over the \(limit)-byte limit")
        }
    }

    static func isBinary(_ request: Request) throws -> Bool {
        let type = request.headers[.contentType]?.lowercased() ?? "application/json"
        if type.hasPrefix("application/x-protobuf") || type.hasPrefix("application/protobuf")
            || type.hasPrefix("application/octet-stream")
        {
            return true
        }
        if type.hasPrefix("application/json") { return false }
        throw NodeError.coded(
            "unsupported_media_type", "send application/x-protobuf or application/json, not \(type)")
    }

    static func decode<M: SwiftProtobuf.Message>(
        _ type: M.Type, from request: Request, limit: Int, malformedCode: String
    ) async throws -> M {
        let binary = try isBinary(request)
        let buffer = try await collect(request, limit: limit)
        let bytes = Data(buffer.readableBytesView)
        do {
            if binary { return try M(serializedBytes: bytes) }
            var options = JSONDecodingOptions()
            options.ignoreUnknownFields = false
            return try M(jsonUTF8Bytes: bytes, options: options)
        } catch {
            throw NodeError.coded(malformedCode, "the body is not a valid \(M.protoMessageName): \(error)")
        }
    }
}
