import Core
import Foundation

/// An account's signed request to create or delete one of its S3 access keys. The signature is
/// Ed25519 by the account's key over `signingBytes`, which name the action, the account, the
/// time and (for a delete) the key, so that a signature for one cannot serve as another. The
/// node accepts a request within five minutes of its clock, and a create only with a time after
/// the account's last, so a captured request cannot be replayed for a second secret.
public struct AccessKeyRequest: Codable, Sendable, Equatable {
    /// "create" or "delete".
    public var action: String
    public var account: String
    public var timestampMs: Int64
    /// For "delete": the access key id.
    public var accessKeyID: String?
    /// Hex.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case action, account, signature
        case timestampMs = "timestamp_ms"
        case accessKeyID = "access_key_id"
    }

    /// How far a request's time may be from the node's clock, milliseconds.
    public static let windowMs: Int64 = 300_000

    /// A request signed by `key`.
    public init(action: String, key: SigningKey, timestampMs: Int64, accessKeyID: String? = nil) {
        self.action = action
        account = key.address.description
        self.timestampMs = timestampMs
        self.accessKeyID = accessKeyID
        signature = ""
        signature = key.sign(signingBytes).hexString
    }

    /// What the signature covers.
    public var signingBytes: Data {
        Data("depin-s3-access-key\n\(action)\n\(account)\n\(timestampMs)\n\(accessKeyID ?? "")".utf8)
    }

    /// The account, when the signature is its and the time is within the window of `nowMs`.
    public func verify(nowMs: Int64) throws(S3Error) -> Address {
        guard action == "create" || action == "delete" else { throw S3Error(.invalidArgument, "action is create or delete") }
        guard let address = try? Address(parsing: account) else { throw S3Error(.invalidArgument, "\(account) is not an address") }
        guard let signature = Data(hex: signature), address.publicKey.isValidSignature(signature, for: signingBytes) else {
            throw S3Error(.signatureDoesNotMatch, "the signature is not \(account)'s over this request")
        }
        guard abs(nowMs - timestampMs) <= Self.windowMs else {
            throw S3Error(.requestTimeTooSkewed, "timestamp_ms is more than five minutes from the node's clock")
        }
        return address
    }
}
