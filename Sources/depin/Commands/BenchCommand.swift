import ArgumentParser
import Foundation
import Geo
import Simulation

/// `depin bench`: speed measured against a reference in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks against reference implementations, as ratios.",
        subcommands: [
            Geo.self, ExplorerPages.self, RenderJobs.self, Erasure.self, Sim.self, Merkle.self, Epoch.self, Ingest.self,
            IngestLoadCommand.self, Soak.self,
        ])

    struct Geo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "latLngToCell per second: this Swift code against the reference C library (via the h3 package).",
            discussion: "Build with -c release for meaningful numbers. Needs python3 with `pip install h3`.")
        @Option(name: .long, help: "How many random points.") var points = 200_000
        @Option(name: .long, help: "The resolution.") var res = 9
        @Option(name: .long, help: "The repository's scripts folder.") var scripts = "scripts"

        func run() async throws {
            guard points > 0, points <= 20_000_000 else { throw CLIError("--points is between 1 and 20000000") }
            var generator = SeededGenerator(seed: 20_261_125)
            var coordinates: [(Double, Double)] = []
            coordinates.reserveCapacity(points)
            var text = ""
            for _ in 0..<points {
                let lat = Double(generator.next() >> 11) / Double(1 << 53) * 180 - 90
                let lng = Double(generator.next() >> 11) / Double(1 << 53) * 360 - 180
                coordinates.append((lat, lng))
                text += "\(lat),\(lng)\n"
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("depin-bench-\(UUID()).csv")
            try text.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }

            // The fastest of three rounds, as on the C side.
            // A local copy: reading an @Option inside the loop costs more than the conversion.
            let resolution = res
            var checksum: UInt64 = 0
            var swiftSeconds = Double.infinity
            let clock = ContinuousClock()
            for _ in 0..<3 {
                checksum = 0
                let elapsed = try clock.measure {
                    for (lat, lng) in coordinates {
                        checksum ^= try H3Cell(latitude: lat, longitude: lng, resolution: resolution).index
                    }
                }
                swiftSeconds = min(
                    swiftSeconds, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", scripts + "/bench-h3.py", file.path, "\(res)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let cSeconds = json["c_seconds"] as? Double, let pythonSeconds = json["python_seconds"] as? Double,
                let cChecksum = json["checksum"] as? String
            else { throw CLIError("the reference benchmark failed (needs python3 with `pip install h3` and a C compiler)") }
            let swiftChecksum = String(checksum, radix: 16)
            guard cChecksum == swiftChecksum else {
                throw CLIError("the two libraries disagree on these points: checksum \(swiftChecksum) against C's \(cChecksum)")
            }
            print("points: \(points) at resolution \(res) (the same cells from both: checksum \(swiftChecksum))")
            print(String(format: "swift: %.0f cells/s", Double(points) / swiftSeconds))
            print(String(format: "h3 %@ C library, called from a C loop: %.0f cells/s", json["h3_version"] as? String ?? "?",
                         Double(points) / cSeconds))
            print(String(format: "h3 through its Python API, for comparison: %.0f cells/s", Double(points) / pythonSeconds))
            print(String(format: "ratio swift / C: %.2f", cSeconds / swiftSeconds))
        }
    }
}
