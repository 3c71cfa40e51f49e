import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP connection to a device on the network (an ELM327 over Wi-Fi or its emulator,
/// a Modbus TCP meter): an IPv4 address or "localhost" and a port, with a read timeout; lines
/// up to a prompt for the ELM327, exact byte counts for Modbus.
public final class TCPLink: ELM327Session.Link, @unchecked Sendable {
    private let descriptor: Int32
    private var pending = Data()

    /// Connects to `host:port`; reads wait at most `timeout` seconds.
    public init(host: String, port: Int, timeout: Double = 5) throws {
        descriptor = try Self.connectedSocket(host: host, port: port, timeout: timeout)
    }

    /// A connected TCP socket's descriptor, for a caller that reads it its own way (gpsd's
    /// stream of lines); reads wait at most `timeout` seconds, or forever when nil.
    public static func connectedSocket(host: String, port: Int, timeout: Double?) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DeviceLinkError("cannot open a socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            close(descriptor)
            throw DeviceLinkError("\(host) is not an IPv4 address")
        }
        if let timeout {
            var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw DeviceLinkError("cannot reach \(host):\(port)")
        }
        return descriptor
    }

    deinit { close(descriptor) }

    /// Sends `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw DeviceLinkError("the peer closed the connection") }
    }

    /// Reads exactly `count` bytes.
    public func read(exactly count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while pending.count < count {
            let got = recv(descriptor, &buffer, buffer.count, 0)
            guard got > 0 else {
                throw DeviceLinkError(got == 0 ? "the peer closed the connection" : "the peer did not answer in time")
            }
            pending.append(contentsOf: buffer[0..<got])
        }
        defer { pending.removeSubrange(pending.startIndex..<pending.startIndex + count) }
        return [UInt8](pending.prefix(count))
    }

    /// Sends `command` and a carriage return; returns what came back up to the `>` prompt.
    public func exchange(_ command: String) throws -> String {
        let line = Array((command + "\r").utf8)
        let sent = line.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == line.count else { throw DeviceLinkError("the adapter closed the connection") }
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while !pending.contains(UInt8(ascii: ">")) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else {
                throw DeviceLinkError(count == 0 ? "the adapter closed the connection" : "the adapter did not answer \(command) in time")
            }
            pending.append(contentsOf: buffer[0..<count])
        }
        let prompt = pending.firstIndex(of: UInt8(ascii: ">"))!
        let answer = String(decoding: pending[pending.startIndex...prompt], as: UTF8.self)
        pending.removeSubrange(pending.startIndex...prompt)
        return answer
    }
}
