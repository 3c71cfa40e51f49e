import Foundation
import Hummingbird

/// An HTTP error with a stable code and a JSON body `{"error": CODE, "message": …}`.
public struct NodeError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The stable reason code, documented in docs/protocol.md.
    public var code: String
    /// A sentence for people.
    public var message: String
    /// Extra headers, such as Retry-After.
    public var headers: HTTPFields = [:]

    /// An error with a status, a code and a sentence.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The JSON body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(["error": code, "message": message])
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The status a reason code answers with.
    public static func status(for code: String) -> HTTPResponse.Status {
        switch code {
        case "bad_signature": .unauthorized
        case "unknown_device", "kind_not_allowed", "not_owner", "untrusted_maker", "missing_cosignature",
            "unknown_oracle", "not_operator":
            .forbidden
        case "replayed_nonce", "bad_nonce", "device_exists", "genesis_mismatch", "epoch_closed", "stale_price", "no_lease",
            "not_benchmarked", "no_benchmark_check", "wrong_reference_scene":
            .conflict
        case "account_not_found", "device_not_found", "epoch_not_closed", "not_in_manifest", "no_coverage_service",
            "not_found", "content_not_found", "unknown_job", "no_rendering_service",
            "no_reference_scene":
            .notFound
        case "no_oracle_key": .serviceUnavailable
        case "body_too_large": .contentTooLarge
        case "rate_limited": .tooManyRequests
        case "unsupported_media_type": .unsupportedMediaType
        case "timestamp_in_future", "timestamp_too_old", "timestamp_before_genesis", "timestamp_out_of_window",
            "insufficient_balance", "invalid_amount", "self_transfer", "quote_below_minimum", "supply_cap_exceeded",
            "location_required", "invalid_location", "invalid_payout_address", "insufficient_credits",
            "unknown_service", "invalid_render_job", "invalid_bounty", "invalid_grant", "frame_not_uploaded", "frame_not_png",
            "scene_not_uploaded", "invalid_benchmark", "invalid_parameter", "invalid_denylist":
            .unprocessableContent
        default: .badRequest
        }
    }

    /// 402: a paid read the account's credits do not cover.
    public static func paymentRequired(_ code: String, _ message: String) -> NodeError {
        NodeError(HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), code, message)
    }

    /// An error whose status follows from its code.
    public static func coded(_ code: String, _ message: String) -> NodeError {
        NodeError(status(for: code), code, message)
    }
}
