import Core
import Foundation

/// A grantee's signed request for an access token to one device's telemetry. The signature is
/// Ed25519 by the grantee's key over `signingBytes` (the device, the grantee and the time); the
/// node takes a request within five minutes of its clock.
public struct TelemetryTokenRequest: Codable, Sendable, Equatable {
    /// The device's address.
    public var device: String
    /// The grantee's address.
    public var grantee: String
    public var timestampMs: Int64
    /// Hex.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case device, grantee, signature
        case timestampMs = "timestamp_ms"
    }

    /// How far a request's time may be from the node's clock, milliseconds.
    public static let windowMs: Int64 = 300_000

    /// A request by `key` for `device`.
    public init(device: Address, key: SigningKey, timestampMs: Int64) {
        self.device = device.description
        grantee = key.address.description
        self.timestampMs = timestampMs
        signature = ""
        signature = key.sign(signingBytes).hexString
    }

    /// What the signature covers.
    public var signingBytes: Data { Data("depin-telemetry-token-v1\n\(device)\n\(grantee)\n\(timestampMs)".utf8) }

    /// The device and the grantee, when the signature is the grantee's and the time is within the
    /// window of `nowMs`; else a reason code and a sentence.
    public func verify(nowMs: Int64) -> Result<(device: Address, grantee: Address), TelemetryAccessError> {
        guard let device = try? Address(parsing: device), let grantee = try? Address(parsing: grantee) else {
            return .failure(TelemetryAccessError("malformed_request", "device and grantee are addresses"))
        }
        guard let signature = Data(hex: signature), grantee.publicKey.isValidSignature(signature, for: signingBytes) else {
            return .failure(TelemetryAccessError("bad_signature", "the signature is not \(grantee)'s over this request"))
        }
        guard abs(nowMs - timestampMs) <= Self.windowMs else {
            return .failure(TelemetryAccessError("stale_request", "timestamp_ms is more than five minutes from the node's clock"))
        }
        return .success((device, grantee))
    }
}

/// Why a telemetry access request was refused: a reason code and a sentence.
public struct TelemetryAccessError: Error, Sendable {
    public let code: String
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}
