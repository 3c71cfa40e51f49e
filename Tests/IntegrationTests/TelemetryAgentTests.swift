import Foundation
import Testing

/// `depin agent vehicle --obd` against ELM327-emulator and `depin agent meter --modbus` against a
/// pymodbus meter, on loopback, to a node with short epochs: signed telemetry accepted, both
/// earning from the telemetry pool, and a second vehicle reporting the same car's VIN refused.
@Suite(.serialized) struct TelemetryAgentTests {
    @Test func vehiclesAndMetersReportAndOneVINEarnsOnce() async throws {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let maker = try world.depin("keys", "new", "--out", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let now = Int(Date().timeIntervalSince1970)
        let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now - 60 - now % 6)))
        _ = try world.depin(
            "init", "--token", "Car Token", "--symbol", "CAR", "--epoch-seconds", "6", "--grace-seconds", "1", "--start", start,
            "--maker", maker, "--allocate", "\(owner)=1000000")
        try await world.startNode()
        for (name, kind) in [("car", "vehicle"), ("clone", "vehicle"), ("meter", "meter")] {
            _ = try world.depin(
                "device", "onboard", "--owner-key", "owner.key", "--device-key", "\(name).key", "--maker-key", "maker.key", "--kind", kind)
        }
        // ELM327-emulator plays the car; each unit gets a fresh emulator, as each unit plugged into
        // the car would (the emulator moves on to other VINs within one run). The agents retry
        // until their adapter and meter listen.
        func emulator() throws -> (Process, Int) {
            let port = try IntegrationWorld.freePort()
            let process = try DepinBinary.start(
                ["python3", "-m", "elm", "-n", "\(port)", "-s", "car", "-b", world.directory + "/elm-\(port).out"], in: world.directory,
                log: world.directory + "/elm-\(port).log", executable: "/usr/bin/env")
            return (process, port)
        }
        let modbusPort = try IntegrationWorld.freePort()
        let simulator = try DepinBinary.start(
            ["python3", DepinBinary.root.appendingPathComponent("scripts/meter-simulator.py").path, "\(modbusPort)", "SN-ROOF-7"],
            in: world.directory, log: world.directory + "/meter.log", executable: "/usr/bin/env")
        defer { if simulator.isRunning { kill(simulator.processIdentifier, SIGKILL) } }

        // The car's unit, then a second unit plugged into the same car; and the meter.
        let common = ["--interval", "5", "--sample-seconds", "0.5", "--batch-samples", "3", "--batches", "4"]
        var runs: [DepinBinary.Output] = []
        for name in ["car", "clone"] {
            let (adapter, port) = try emulator()
            defer { kill(adapter.processIdentifier, SIGKILL) }
            runs.append(
                try DepinBinary.run(
                    ["agent", "vehicle", "--key", "\(name).key", "--state-dir", name, "--obd", "socket://127.0.0.1:\(port)"] + common,
                    in: world.directory, environment: world.environment))
        }
        let (car, clone) = (runs[0], runs[1])
        #expect(car.status == 0 && car.stderr.contains("vehicle identified"), "\(car.stderr)")
        #expect(clone.status == 0, "\(clone.stderr)")
        let meter = try DepinBinary.run(
            ["agent", "meter", "--key", "meter.key", "--state-dir", "meter", "--modbus", "127.0.0.1:\(modbusPort)"] + common,
            in: world.directory, environment: world.environment)
        #expect(meter.status == 0, "\(meter.stderr)")

        let address = { (name: String) in
            try world.depin("keys", "show", "--key", "\(name).key").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let (carID, cloneID, meterID) = (try address("car"), try address("clone"), try address("meter"))
        let types = { (device: String) async throws -> [String] in
            (try await world.json("/v1/devices/\(device)/reports?limit=100") as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        }
        let (carTypes, meterTypes) = (try await types(carID), try await types(meterID))
        #expect(carTypes.filter { $0 == "vehicle_telemetry" }.count == 4, "\(carTypes) \(car.stderr.suffix(1500))")
        #expect(meterTypes.filter { $0 == "meter_readings" }.count == 4, "\(meterTypes) \(meter.stderr.suffix(1500))")

        // Once their epochs close: the car and the meter earn from the telemetry pool; the clone's
        // batches are refused because the VIN is bound to the car.
        let explained = try await DemoCommandTests.waitFor(seconds: 60) { () async -> (String, String, String)? in
            let rewards = { (device: String) in (try? world.depin("device", "rewards", device)) ?? "" }
            let (c, k, m) = (rewards(carID), rewards(cloneID), rewards(meterID))
            return c.contains("telemetry pool") && m.contains("telemetry pool") && k.contains("vin_bound_elsewhere") ? (c, k, m) : nil
        }
        #expect(explained.0.contains("report(s) counted"), "\(explained.0)")
        // The owner lets a developer read the car's live data for a day; the developer reads it
        // (paid from its credits), and not its VIN; a revocation ends it.
        let developer = try world.depin("keys", "new", "--out", "developer.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("wallet", "transfer", "--key", "owner.key", "--to", developer, "--amount", "500000")
        _ = try world.depin("wallet", "burn", "--key", "developer.key", "--amount", "500000")
        _ = try world.depin(
            "telemetry", "grant", "--key", "owner.key", "--device", carID, "--grantee", developer, "--privilege", "live_data", "--days", "1")
        let read = try world.depin("telemetry", "read", "--key", "developer.key", "--device", carID)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [String: Any])
        #expect((json["live_data"] as? [String: Any])?["rpm"] != nil && json["vin"] == nil, "\(read)")
        let vin = try world.depinFails("telemetry", "read", "--key", "developer.key", "--device", carID, "--fields", "vin")
        #expect(vin.stderr.contains("missing_privilege"), "\(vin.stderr)")
        _ = try world.depin("telemetry", "revoke", "--key", "owner.key", "--device", carID, "--grantee", developer)
        #expect(try world.depinFails("telemetry", "read", "--key", "developer.key", "--device", carID).stderr.contains("no_grant"))

        // A vehicle agent that cannot reach its adapter says so and keeps trying until stopped.
        let unreachable = try DepinBinary.run(["agent", "vehicle", "--key", "car.key", "--obd", "tcp://x"], in: world.directory)
        #expect(unreachable.status != 0 && unreachable.stderr.contains("socket://HOST:PORT"))
        let wrongKind = try DepinBinary.run(["agent", "meter", "--key", "meter.key", "--obd", "socket://127.0.0.1:1"], in: world.directory)
        #expect(wrongKind.status != 0 && wrongKind.stderr.contains("--obd is for a vehicle"))
    }
}
