import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the soak reads from a running `depin demo`: its node, a hotspot, the owner, the genesis.
struct SoakTargets: Sendable {
    var node: String
    var hotspot: String
    var owner: String
    var genesis: String

    /// Waits (up to three minutes) for the demo in `directory` to write demo.json.
    static func wait(directory: String, demo: Process) async throws -> SoakTargets {
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline, demo.isRunning {
            if let data = try? Data(contentsOf: URL(fileURLWithPath: directory + "/demo.json")),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let node = json["node"] as? String, let genesis = json["genesis"] as? String,
                let owner = ((json["accounts"] as? [String: Any])?["owner"] as? [String: Any])?["address"] as? String,
                let hotspot = ((json["coverage"] as? [String: Any])?["example_hotspots"] as? [String])?.first
            {
                return SoakTargets(node: node, hotspot: hotspot, owner: owner, genesis: genesis)
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw CLIError("depin demo did not come up within three minutes; see \(directory)/demo.log")
    }

    /// The hot reads the soak times.
    var reads: [String] { ["/v1/devices/\(hotspot)/rewards", "/v1/accounts/\(owner)", "/v1/network"] }

    /// GET `path`: the body and the seconds it took.
    func get(_ path: String) async throws -> (Data, Double) {
        var request = URLRequest(url: URL(string: node + path)!)
        request.timeoutInterval = 30
        let start = Date()
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw CLIError("GET \(path) answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        return (data, Date().timeIntervalSince(start))
    }
}
