import Foundation
import Testing

/// `depin meter probe` against a meter served by pymodbus (scripts/meter-simulator.py) on a
/// loopback port: Modbus TCP function 3 and the SunSpec-style register map.
@Suite struct MeterProbeTests {
    @Test func theProbeReadsTheSimulatedMeter() async throws {
        let directory = NSTemporaryDirectory() + "depin-meter-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = try IntegrationWorld.freePort()
        let script = DepinBinary.root.appendingPathComponent("scripts/meter-simulator.py").path
        let meter = try DepinBinary.start(
            ["python3", script, "\(port)", "SN-SOLAR-0042"], in: directory, log: directory + "/meter.log", executable: "/usr/bin/env")
        defer { if meter.isRunning { kill(meter.processIdentifier, SIGKILL) } }
        let probe = try await DemoCommandTests.waitFor(seconds: 30) { () async -> DepinBinary.Output? in
            let output = try? DepinBinary.run(["meter", "probe", "--modbus", "127.0.0.1:\(port)"], in: directory)
            return output?.status == 0 ? output : nil
        }
        #expect(probe.stdout.contains("serial: SN-SOLAR-0042"), "\(probe.stdout)")
        #expect(probe.stdout.contains("voltage: 2") && probe.stdout.contains("exported: 100") && probe.stdout.contains("power: -"), "\(probe.stdout)")
        // A unit the server does not serve, or a port nobody listens on: a clear error.
        let bad = try DepinBinary.run(["meter", "probe", "--modbus", "localhost"], in: directory)
        #expect(bad.status != 0 && bad.stderr.contains("--modbus is HOST:PORT"), "\(bad.stderr)")
        let closed = try DepinBinary.run(["meter", "probe", "--modbus", "127.0.0.1:\(try IntegrationWorld.freePort())"], in: directory)
        #expect(closed.status != 0 && closed.stderr.contains("cannot reach"), "\(closed.stderr)")
    }
}
