import Foundation
import Testing

/// `depin obd probe` against ELM327-emulator (from PyPI) on a loopback TCP port, read the way a
/// real adapter on the car's network is read: AT set-up, supported PIDs, the VIN by ISO-TP.
@Suite struct ObdProbeTests {
    @Test func theProbeReadsTheEmulatedCar() async throws {
        let directory = NSTemporaryDirectory() + "depin-obd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = try IntegrationWorld.freePort()
        let emulator = try DepinBinary.start(
            ["python3", "-m", "elm", "-n", "\(port)", "-s", "car", "-b", directory + "/elm.out"], in: directory,
            log: directory + "/elm.log", executable: "/usr/bin/env")
        defer { if emulator.isRunning { kill(emulator.processIdentifier, SIGKILL) } }
        let probe = try await DemoCommandTests.waitFor(seconds: 30) { () async -> DepinBinary.Output? in
            let output = try? DepinBinary.run(["obd", "probe", "--obd", "socket://127.0.0.1:\(port)"], in: directory)
            return output?.status == 0 ? output : nil
        }
        #expect(probe.stdout.contains("adapter: ELM327"), "\(probe.stdout)")
        // The emulator's car: a VIN of 17 characters, speed and rpm supported.
        let vin = probe.stdout.split(separator: "\n").first { $0.hasPrefix("vin: ") }.map { String($0.dropFirst(5)) } ?? ""
        #expect(vin.count == 17, "\(probe.stdout)")
        #expect(probe.stdout.contains("rpm: ") && probe.stdout.contains("speed: ") && probe.stdout.contains("trouble codes: "))
        let bad = try DepinBinary.run(["obd", "probe", "--obd", "tcp://127.0.0.1:\(port)"], in: directory)
        #expect(bad.status != 0 && bad.stderr.contains("socket://HOST:PORT"))
        let closed = try DepinBinary.run(["obd", "probe", "--obd", "socket://127.0.0.1:\(try IntegrationWorld.freePort())"], in: directory)
        #expect(closed.status != 0 && closed.stderr.contains("cannot reach"), "\(closed.stderr)")
    }
}
