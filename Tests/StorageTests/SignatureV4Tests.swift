import Foundation
import Storage
import Testing

/// SigV4 against AWS's published example (S3's "Examples of signature calculations": GET
/// /test.txt with a Range header, signed on 2013-05-24), and the refusals around it.
@Suite struct SignatureV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let published = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"

    static func example(range: String = "bytes=0-9") -> SignatureV4.SignedRequest {
        SignatureV4.SignedRequest(
            method: "GET", path: "/test.txt", query: [],
            headers: [
                "host": "examplebucket.s3.amazonaws.com", "range": range, "x-amz-content-sha256": emptyHash,
                "x-amz-date": "20130524T000000Z",
                "authorization":
                    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=\(published)",
            ])
    }

    static let signedAt = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test func thePublishedExampleVerifies() throws {
        let request = Self.example()
        let authorization = try #require(try SignatureV4.authorization(of: request))
        #expect(authorization.accessKeyID == "AKIAIOSFODNN7EXAMPLE" && authorization.region == "us-east-1")
        #expect(authorization.signedHeaders == ["host", "range", "x-amz-content-sha256", "x-amz-date"])
        try SignatureV4.verify(authorization, request: request, secret: Self.secret, payloadHash: Self.emptyHash, now: Self.signedAt)
        let signature = SignatureV4.signature(
            request: request, signedHeaders: authorization.signedHeaders, payloadHash: Self.emptyHash, amzDate: "20130524T000000Z",
            scope: authorization.scope, secret: Self.secret, date: "20130524", region: "us-east-1", service: "s3")
        #expect(signature == Self.published)
    }

    @Test func aChangedRequestOrSecretOrClockIsRefused() throws {
        let tampered = Self.example(range: "bytes=0-99")
        let authorization = try #require(try SignatureV4.authorization(of: tampered))
        #expect(throws: S3Error(.signatureDoesNotMatch, "The request signature we calculated does not match the signature you provided. Check your key and signing method.")) {
            try SignatureV4.verify(authorization, request: tampered, secret: Self.secret, payloadHash: Self.emptyHash, now: Self.signedAt)
        }
        let good = Self.example()
        #expect(performing: {
            try SignatureV4.verify(authorization, request: good, secret: "another", payloadHash: Self.emptyHash, now: Self.signedAt)
        }, throws: { ($0 as? S3Error)?.code == .signatureDoesNotMatch })
        #expect(performing: {
            try SignatureV4.verify(
                authorization, request: good, secret: Self.secret, payloadHash: Self.emptyHash,
                now: Self.signedAt.addingTimeInterval(16 * 60))
        }, throws: { ($0 as? S3Error)?.code == .requestTimeTooSkewed })
    }

    @Test func presignedURLsExpire() throws {
        var request = SignatureV4.SignedRequest(
            method: "GET", path: "/bucket/key", query: [], headers: ["host": "127.0.0.1:9000"])
        let query: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "KEY/20130524/us-east-1/s3/aws4_request"),
            ("X-Amz-Date", "20130524T000000Z"), ("X-Amz-Expires", "60"), ("X-Amz-SignedHeaders", "host"),
        ]
        request.query = query
        let signature = SignatureV4.signature(
            request: request, signedHeaders: ["host"], payloadHash: SignatureV4.unsignedPayload, amzDate: "20130524T000000Z",
            scope: "20130524/us-east-1/s3/aws4_request", secret: "s3cret", date: "20130524", region: "us-east-1", service: "s3")
        request.query.append(("X-Amz-Signature", signature))
        let authorization = try #require(try SignatureV4.authorization(of: request))
        #expect(authorization.expires == 60)
        try SignatureV4.verify(
            authorization, request: request, secret: "s3cret", payloadHash: SignatureV4.unsignedPayload,
            now: Self.signedAt.addingTimeInterval(30))
        #expect(performing: {
            try SignatureV4.verify(
                authorization, request: request, secret: "s3cret", payloadHash: SignatureV4.unsignedPayload,
                now: Self.signedAt.addingTimeInterval(61))
        }, throws: { ($0 as? S3Error)?.code == .accessDenied })
    }

    @Test func signatureVersion2IsRefusedByName() throws {
        let request = SignatureV4.SignedRequest(
            method: "GET", path: "/b/k", query: [("AWSAccessKeyId", "K"), ("Signature", "x"), ("Expires", "1")], headers: [:])
        #expect(performing: { try SignatureV4.authorization(of: request) }, throws: { ($0 as? S3Error)?.code == .invalidRequest })
        let anonymous = SignatureV4.SignedRequest(method: "GET", path: "/b/k", query: [], headers: [:])
        #expect(try SignatureV4.authorization(of: anonymous) == nil)
    }

    @Test func uriEncodingKeepsOnlyUnreservedCharacters() {
        #expect(SignatureV4.encode("a b/ü~-_.*+", keepSlash: true) == "a%20b/%C3%BC~-_.%2A%2B")
        #expect(SignatureV4.encode("a/b", keepSlash: false) == "a%2Fb")
    }
}
