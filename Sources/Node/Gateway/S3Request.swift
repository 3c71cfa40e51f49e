import Foundation
import Hummingbird
import Storage

/// An S3 request as the gateway reads it: path-style (`/bucket/key`), with its query decoded and
/// its headers by lower-case name, and the form SigV4 signs.
struct S3Request {
    let method: String
    /// The bucket, when the path names one.
    let bucket: String?
    /// The key, when the path names one (everything after the bucket's slash).
    let key: String?
    let query: [(name: String, value: String)]
    let headers: [String: String]
    let signed: SignatureV4.SignedRequest

    init(_ request: Request) throws(S3Error) {
        method = request.method.rawValue
        guard let path = request.uri.path.removingPercentEncoding else {
            throw S3Error(.invalidArgument, "the path \(request.uri.path) is not valid percent-encoded UTF-8")
        }
        var query: [(name: String, value: String)] = []
        for item in (request.uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(pair[0]).removingPercentEncoding,
                let value = (pair.count > 1 ? String(pair[1]) : "").removingPercentEncoding
            else { throw S3Error(.invalidArgument, "the query parameter \(item) is not valid percent-encoding") }
            query.append((name, value))
        }
        self.query = query
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + "," + field.value } ?? field.value
        }
        if let authority = request.head.authority { headers["host"] = authority }
        self.headers = headers
        let trimmed = path.drop { $0 == "/" }
        if trimmed.isEmpty {
            (bucket, key) = (nil, nil)
        } else if let slash = trimmed.firstIndex(of: "/") {
            bucket = String(trimmed[..<slash])
            let rest = String(trimmed[trimmed.index(after: slash)...])
            key = rest.isEmpty ? nil : rest
        } else {
            (bucket, key) = (String(trimmed), nil)
        }
        signed = SignatureV4.SignedRequest(method: method, path: path, query: query, headers: headers)
    }

    /// The value of query parameter `name`.
    func query(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Whether the query has parameter `name` (with or without a value).
    func has(_ name: String) -> Bool { query.contains { $0.name == name } }

    /// The object's path, for error documents.
    var resource: String { "/" + [bucket, key].compactMap { $0 }.joined(separator: "/") }

    /// User metadata: x-amz-meta-* headers, names without the prefix.
    var metadata: [String: String] {
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst(11))] = value }
        return metadata
    }

    /// Content-Length, when the client sent one.
    var contentLength: Int64? { headers["content-length"].flatMap { Int64($0) } }
}
