import Core
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Logging
import Storage

/// The demo's storage customer: through the S3 gateway, signed with Signature V4 as any S3
/// client signs, it keeps a bucket of a dozen small objects, rewrites one and reads one back
/// every few heartbeats. What it keeps and downloads is billed, and paid to the storage nodes
/// that hold and serve the pieces, so they earn in the demo as they would with real customers.
struct DemoStorageCustomer: Sendable {
    let endpoint: String
    let accessKeyID: String
    let secret: String
    let interval: Double
    let logger: Logger
    static let bucket = "demo-sensor-archive"
    static let objects = 12
    static let region = "us-east-1"

    /// Stores and reads until cancelled; a failed request is logged and tried again next time.
    func run() async throws {
        var round = 0
        while !Task.isCancelled {
            do {
                if round == 0 { _ = try await send("PUT", "/\(Self.bucket)", accepting: [200, 409]) }
                let size = 64 * 1024 + Int.random(in: 0..<(192 * 1024))
                let body = Data((0..<size).map { _ in UInt8.random(in: 0...255) })
                _ = try await send("PUT", "/\(Self.bucket)/readings/\(round % Self.objects).bin", body: body, accepting: [200])
                let read = try await send(
                    "GET", "/\(Self.bucket)/readings/\(Int.random(in: 0...min(round, Self.objects - 1))).bin", accepting: [200])
                logger.debug("demo storage customer", metadata: ["stored": "\(size)", "read": "\(read.count)"])
                round += 1
            } catch is CancellationError {
                return
            } catch {
                logger.warning("demo storage customer: request failed; trying again", metadata: ["reason": "\(error)"])
            }
            try await Task.sleep(for: .seconds(max(interval * 3, 1)))
        }
    }

    /// One signed request; its body when the status is one of `accepting`.
    func send(_ method: String, _ path: String, body: Data = Data(), accepting: Set<Int>) async throws -> Data {
        guard let url = URL(string: endpoint + path), let host = url.host else { throw CLIError("bad S3 endpoint \(endpoint)") }
        let now = Date()
        let amzDate = SignatureV4.amzDate(now)
        let date = String(amzDate.prefix(8))
        let payloadHash = SHA256Digest.hex(body)
        let headers = [
            "host": url.port.map { "\(host):\($0)" } ?? host, "x-amz-date": amzDate, "x-amz-content-sha256": payloadHash,
        ]
        let signed = headers.keys.sorted()
        let scope = "\(date)/\(Self.region)/s3/aws4_request"
        let signature = SignatureV4.signature(
            request: .init(method: method, path: path, query: [], headers: headers), signedHeaders: signed, payloadHash: payloadHash,
            amzDate: amzDate, scope: scope, secret: secret, date: date, region: Self.region, service: "s3")
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue(amzDate, forHTTPHeaderField: "X-Amz-Date")
        request.setValue(payloadHash, forHTTPHeaderField: "X-Amz-Content-SHA256")
        request.setValue(
            "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)",
            forHTTPHeaderField: "Authorization")
        if method == "PUT" { request.httpBody = body }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard accepting.contains(status) else {
            throw CLIError("\(method) \(path): HTTP \(status) \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return data
    }
}
