import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small HTTP client for a node's API, used by agents and by the CLI.
public struct NodeClient: Sendable {
    /// The node's base URL, e.g. http://127.0.0.1:8080.
    public let baseURL: URL
    private let session: URLSession

    /// A response: status and body.
    public struct Reply: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The body.
        public var body: Data

        /// The body's JSON `error` code, when it is an error body.
        public var errorCode: String? { (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? String }
        /// The body's JSON `message`, when it is an error body.
        public var errorMessage: String? {
            (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["message"] as? String
        }
    }

    /// A client for the node at `baseURL`.
    public init(baseURL: URL, timeout: TimeInterval = 10) {
        self.baseURL = baseURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: configuration)
    }

    /// GET `path`, with `headers` besides.
    public func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: url(path))
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try await send(request)
    }

    /// POST `body` to `path`.
    public func post(_ path: String, body: Data, contentType: String = "application/x-protobuf") async throws -> Reply {
        try await send("POST", path, body: body, contentType: contentType)
    }

    /// PUT `body` to `path`, with `headers` besides.
    public func put(
        _ path: String, body: Data, contentType: String = "application/octet-stream", headers: [String: String] = [:]
    ) async throws -> Reply {
        try await send("PUT", path, body: body, contentType: contentType, headers: headers)
    }

    /// DELETE `path`, with a JSON `body`.
    public func delete(_ path: String, body: Data) async throws -> Reply {
        try await send("DELETE", path, body: body, contentType: "application/json")
    }

    private func send(
        _ method: String, _ path: String, body: Data, contentType: String, headers: [String: String] = [:]
    ) async throws -> Reply {
        var request = URLRequest(url: url(path))
        request.httpMethod = method
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try await send(request)
    }

    private func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path)!
    }

    private func send(_ request: URLRequest) async throws -> Reply {
        let (data, response) = try await session.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }
}
