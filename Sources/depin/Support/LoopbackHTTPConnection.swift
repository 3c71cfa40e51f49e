import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to a port on loopback, on a blocking socket: the load
/// generator's client, as cheap in CPU as a client can be, so that the node it loads (on the same
/// machine) gets the cores.
final class LoopbackHTTPConnection {
    private let descriptor: Int32
    private var buffer = [UInt8]()
    private let port: Int

    init(port: Int) throws {
        self.port = port
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CLIError("cannot open a socket") }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(descriptor)
            throw CLIError("cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(descriptor) }

    /// POSTs `body` to `path` and returns the status and body of the answer.
    func post(_ path: String, body: Data, contentType: String) throws -> (status: Int, body: Data) {
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\r\n"
        try send(Data(head.utf8) + body)
        return try receive()
    }

    /// GETs `path` and returns the status and body of the answer.
    func get(_ path: String) throws -> (status: Int, body: Data) {
        try send(Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8))
        return try receive()
    }

    private func send(_ data: Data) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { throw CLIError("the node closed the connection") }
                offset += written
            }
        }
    }

    /// Reads one response: the head, then as many body bytes as its Content-Length says.
    private func receive() throws -> (status: Int, body: Data) {
        var headEnd: Int?
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer) {
                headEnd = end
                break
            }
            try fill()
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else { throw CLIError("the node answered something that is not HTTP") }
        var length = 0
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            } else if parts.count == 2, parts[0].lowercased() == "transfer-encoding" {
                throw CLIError("the node answered with a chunked body, which the load generator does not read")
            }
        }
        while buffer.count < length { try fill() }
        let body = Data(buffer[0..<length])
        buffer.removeFirst(length)
        return (status, body)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { throw CLIError("the node closed the connection") }
        buffer.append(contentsOf: chunk[0..<count])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<start + needle.count]) == needle { return start }
        }
        return nil
    }
}
