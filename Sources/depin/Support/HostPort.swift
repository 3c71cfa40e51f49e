/// An IPv4 address (or localhost) and a port, as `--gpsd`, `--obd` and `--modbus` take them;
/// `scheme` (as in `socket://`) is a prefix the text must carry.
enum HostPort {
    static func parse(_ text: String, option: String, example: String, scheme: String = "") throws -> (host: String, port: Int) {
        let rest = text.hasPrefix(scheme) ? String(text.dropFirst(scheme.count)) : ""
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        let octets = parts.first.map { $0.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) } } ?? []
        guard parts.count == 2, let port = Int(parts[1]), (1...65_535).contains(port), parts[0] == "localhost" || octets.count == 4 else {
            throw CLIError("\(option) is \(scheme)HOST:PORT with an IPv4 address or localhost, e.g. \(example); got \(text)")
        }
        return (String(parts[0]), port)
    }

    /// An OBD-II adapter's `socket://HOST:PORT`.
    static func obd(_ text: String) throws -> (host: String, port: Int) {
        try parse(text, option: "--obd", example: "socket://192.168.0.10:35000", scheme: "socket://")
    }

    /// A Modbus TCP server's `HOST:PORT`.
    static func modbus(_ text: String) throws -> (host: String, port: Int) {
        try parse(text, option: "--modbus", example: "127.0.0.1:502")
    }
}
