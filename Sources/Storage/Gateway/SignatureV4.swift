import Core
import Crypto
import Foundation

/// AWS Signature Version 4, as S3 clients sign requests: in the `Authorization` header or in a
/// presigned URL's query. The gateway rebuilds the canonical request from what it received and
/// compares signatures; the algorithm is AWS's published one ("Signature Version 4 signing
/// process", and S3's "Authenticating Requests" pages).
public enum SignatureV4 {
    /// A request as signed: method, the decoded path, the decoded query and the headers with
    /// lower-case names (the Host header under "host").
    public struct SignedRequest: Sendable {
        public var method: String
        public var path: String
        public var query: [(name: String, value: String)]
        public var headers: [String: String]

        public init(method: String, path: String, query: [(name: String, value: String)], headers: [String: String]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
        }

        /// The value of query parameter `name`.
        public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
    }

    /// What a request's authorization claims: the key, the scope and the signature.
    public struct Authorization: Sendable, Equatable {
        public var accessKeyID: String
        /// yyyyMMdd.
        public var date: String
        public var region: String
        public var service: String
        public var signedHeaders: [String]
        public var signature: String
        /// The request time, yyyyMMdd'T'HHmmss'Z'.
        public var amzDate: String
        /// For a presigned URL, how long it is good for, seconds.
        public var expires: Int?

        /// The credential scope, date/region/service/aws4_request.
        public var scope: String { "\(date)/\(region)/\(service)/aws4_request" }
    }

    /// The payload hash a client sends when it does not sign the body.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The authorization `request` carries, from its header or its query; nil when it carries
    /// none (an anonymous request).
    public static func authorization(of request: SignedRequest) throws(S3Error) -> Authorization? {
        if let header = request.headers["authorization"] {
            return try parseHeader(header, amzDate: request.headers["x-amz-date"] ?? request.headers["date"])
        }
        if request.queryValue("AWSAccessKeyId") != nil || request.queryValue("Signature") != nil {
            throw S3Error(
                .invalidRequest,
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256 (Signature Version 4).")
        }
        guard let algorithm = request.queryValue("X-Amz-Algorithm") else { return nil }
        guard algorithm == "AWS4-HMAC-SHA256" else {
            throw S3Error(.authorizationHeaderMalformed, "X-Amz-Algorithm must be AWS4-HMAC-SHA256, not \(algorithm)")
        }
        guard let credential = request.queryValue("X-Amz-Credential"), let amzDate = request.queryValue("X-Amz-Date"),
            let signed = request.queryValue("X-Amz-SignedHeaders"), let signature = request.queryValue("X-Amz-Signature"),
            let expiresText = request.queryValue("X-Amz-Expires"), let expires = Int(expiresText), (1...604_800).contains(expires)
        else {
            throw S3Error(
                .authorizationHeaderMalformed,
                "a presigned URL needs X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Signature and X-Amz-Expires (1 to 604800)")
        }
        var authorization = try parseCredential(credential, amzDate: amzDate)
        authorization.signedHeaders = signed.split(separator: ";").map(String.init)
        authorization.signature = signature
        authorization.expires = expires
        return authorization
    }

    /// Checks `authorization` against `request` signed with `secret`, at `now`: the signature,
    /// the scope's date and the clock skew (15 minutes, as S3) or the presigned URL's expiry.
    /// `payloadHash` is the body's hash as the client declared it (x-amz-content-sha256).
    public static func verify(
        _ authorization: Authorization, request: SignedRequest, secret: String, payloadHash: String, now: Date
    ) throws(S3Error) {
        guard let time = parseAmzDate(authorization.amzDate) else {
            throw S3Error(.authorizationHeaderMalformed, "X-Amz-Date \(authorization.amzDate) is not yyyyMMddTHHmmssZ")
        }
        guard authorization.amzDate.hasPrefix(authorization.date) else {
            throw S3Error(.authorizationHeaderMalformed, "the credential's date \(authorization.date) is not the request's date")
        }
        guard authorization.signedHeaders.contains("host") else {
            throw S3Error(.authorizationHeaderMalformed, "the signed headers must include host")
        }
        if let expires = authorization.expires {
            guard now.timeIntervalSince(time) <= Double(expires) else { throw S3Error(.accessDenied, "Request has expired") }
            guard time.timeIntervalSince(now) <= 900 else {
                throw S3Error(.requestTimeTooSkewed, "the difference between the request time and the server's time is too large")
            }
        } else {
            guard abs(now.timeIntervalSince(time)) <= 900 else {
                throw S3Error(.requestTimeTooSkewed, "the difference between the request time and the server's time is too large")
            }
        }
        let expected = signature(
            request: request, signedHeaders: authorization.signedHeaders, payloadHash: payloadHash,
            amzDate: authorization.amzDate, scope: authorization.scope, secret: secret, date: authorization.date,
            region: authorization.region, service: authorization.service)
        guard constantTimeEqual(expected, authorization.signature) else {
            throw S3Error(.signatureDoesNotMatch, "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
        }
    }

    /// The signature of `request`, as a client computes it.
    public static func signature(
        request: SignedRequest, signedHeaders: [String], payloadHash: String, amzDate: String, scope: String, secret: String,
        date: String, region: String, service: String
    ) -> String {
        let canonical = canonicalRequest(request, signedHeaders: signedHeaders, payloadHash: payloadHash)
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Data(SHA256.hash(data: Data(canonical.utf8))).hexString].joined(separator: "\n")
        var key = SymmetricKey(data: Data(("AWS4" + secret).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)).hexString
    }

    /// The canonical request: method, URI, query, headers, signed header names, payload hash.
    public static func canonicalRequest(_ request: SignedRequest, signedHeaders: [String], payloadHash: String) -> String {
        var pairs: [(name: String, value: String)] = []
        for item in request.query where item.name != "X-Amz-Signature" {
            pairs.append((encode(item.name, keepSlash: false), encode(item.value, keepSlash: false)))
        }
        pairs.sort { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        let query = pairs.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
        let headers = signedHeaders.map { name in
            let value = (request.headers[name] ?? "").trimmingCharacters(in: .whitespaces)
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            return "\(name):\(value)\n"
        }.joined()
        return [
            request.method, encode(request.path.isEmpty ? "/" : request.path, keepSlash: true), query, headers,
            signedHeaders.joined(separator: ";"), payloadHash,
        ].joined(separator: "\n")
    }

    /// URI-encodes as SigV4 does: every byte but A–Z, a–z, 0–9, '-', '_', '.', '~' (and '/' in a
    /// path) as %XX with upper-case hex.
    public static func encode(_ text: String, keepSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved[Int(byte)] || (keepSlash && byte == 0x2F) {
                out.append(byte)
            } else {
                out += [0x25, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes SigV4 leaves unencoded: A–Z, a–z, 0–9, '-', '_', '.', '~'.
    static let unreserved: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        return (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            || [0x2D, 0x5F, 0x2E, 0x7E].contains(byte)
    }

    /// A time as X-Amz-Date writes it.
    public static func amzDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func parseAmzDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }

    static func parseHeader(_ header: String, amzDate: String?) throws(S3Error) -> Authorization {
        guard header.hasPrefix("AWS4-HMAC-SHA256 ") else {
            throw S3Error(
                .invalidRequest,
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256 (Signature Version 4).")
        }
        var fields: [String: String] = [:]
        for part in header.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"]
        else {
            throw S3Error(.authorizationHeaderMalformed, "the Authorization header needs Credential, SignedHeaders and Signature")
        }
        guard let amzDate else { throw S3Error(.accessDenied, "a signed request needs an X-Amz-Date header") }
        var authorization = try parseCredential(credential, amzDate: amzDate)
        authorization.signedHeaders = signed.split(separator: ";").map(String.init)
        authorization.signature = signature
        return authorization
    }

    static func parseCredential(_ credential: String, amzDate: String) throws(S3Error) -> Authorization {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", parts[3] == "s3", !parts[0].isEmpty else {
            throw S3Error(
                .authorizationHeaderMalformed, "the credential \(credential) is not ACCESS_KEY/yyyyMMdd/REGION/s3/aws4_request")
        }
        return Authorization(
            accessKeyID: parts[0], date: parts[1], region: parts[2], service: parts[3], signedHeaders: [], signature: "",
            amzDate: amzDate, expires: nil)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
