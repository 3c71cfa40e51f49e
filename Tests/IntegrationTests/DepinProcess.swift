import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Runs the real `depin` binary: one-shot commands, and long-running nodes and agents that a
/// test can kill.
enum DepinBinary {
    /// Serializes starting child processes. Foundation opens a child's pipes and its exit-watch
    /// socket in the parent while it starts it; a second child started at the same moment on
    /// another test's thread can inherit them, and then the first child's exit goes unnoticed
    /// (a zombie that `waitUntilExit` waits on for ever) until the second one exits.
    static let spawning = NSLock()

    /// Starts `process`, one start at a time.
    static func launch(_ process: Process) throws {
        spawning.lock()
        defer { spawning.unlock() }
        try process.run()
    }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["DEPIN_BIN"] { return explicit }
        return root.appendingPathComponent(".build/debug/depin").path
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `depin ARGS` in `directory` and waits for it.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Output {
        try capture(path, arguments, in: directory, environment: environment)
    }

    /// Runs `executable ARGS` in `directory` and waits for it. Its output goes to files, not
    /// pipes: a pipe's end inherited by another child started meanwhile would hold back the EOF
    /// a pipe reader waits for, and a chatty program cannot block on a full pipe.
    static func capture(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:])
        throws -> Output
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("depin-run-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: stem + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: stem + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: stem + ".out")
            try? FileManager.default.removeItem(atPath: stem + ".err")
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".err"))
        process.standardOutput = out
        process.standardError = err
        try launch(process)
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus, stdout: (try? String(contentsOfFile: stem + ".out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stem + ".err", encoding: .utf8)) ?? "")
    }

    /// Runs a command that must succeed and returns its standard output.
    static func ok(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> String {
        let output = try run(arguments, in: directory, environment: environment)
        guard output.status == 0 else {
            throw HarnessError("depin \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }

    /// Starts `depin ARGS` in the background, its output going to `log`.
    static func start(
        _ arguments: [String], in directory: String, log: String, environment: [String: String] = [:], executable: String? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try launch(process)
        return process
    }
}

/// A temporary directory with a genesis, keys and a node that can be started, killed and
/// restarted on the same port.
final class IntegrationWorld: @unchecked Sendable {
    // Used from one test at a time; the suite is serialized.
    let directory: String
    let port: Int
    var node: Process?

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-it-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
    }

    deinit {
        if let node, node.isRunning {
            kill(node.processIdentifier, SIGKILL)
            node.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var environment: [String: String] { ["DEPIN_NODE": url] }

    func depin(_ arguments: String...) throws -> String {
        try DepinBinary.ok(arguments, in: directory, environment: environment)
    }

    func depinFails(_ arguments: String...) throws -> DepinBinary.Output {
        let output = try DepinBinary.run(arguments, in: directory, environment: environment)
        #expect(output.status != 0, "depin \(arguments.joined(separator: " ")) should fail")
        return output
    }

    /// Starts the node and waits until it answers /health.
    func startNode(extra: [String] = [], environment: [String: String] = [:]) async throws {
        node = try DepinBinary.start(
            ["node", "--port", "\(port)", "--data-dir", "data", "--genesis", "network.toml"] + extra, in: directory,
            log: directory + "/node.log", environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try await status("/health") == 200 { return }
            guard node?.isRunning == true else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: directory + "/node.log", encoding: .utf8)) ?? ""
        throw HarnessError("the node did not come up: \(log)")
    }

    func killNode() {
        guard let node else { return }
        kill(node.processIdentifier, SIGKILL)
        node.waitUntilExit()
        self.node = nil
    }

    /// The HTTP status of GET `path`, or 0 when nothing answers.
    func status(_ path: String) async throws -> Int {
        (try? await get(path))?.0 ?? 0
    }

    func get(_ path: String) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url + path)!)
        request.timeoutInterval = 5
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func json(_ path: String) async throws -> Any {
        let (status, data) = try await get(path)
        guard status == 200 else { throw HarnessError("GET \(path) answered \(status)") }
        return try JSONSerialization.jsonObject(with: data)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw HarnessError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
