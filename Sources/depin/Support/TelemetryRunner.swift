import Agent
import Core
import Foundation
import Logging

/// `depin agent vehicle` and `depin agent meter`: read the vehicle's OBD-II adapter (ELM327 over
/// TCP) or the meter's Modbus registers every `sampleSeconds`, batch `batchSamples` readings into
/// a signed `vehicle_telemetry` or `meter_readings` report, and submit it through the agent's
/// queue with its heartbeats. With `batches` it stops once that many are delivered. A reading
/// that fails (the adapter busy, the meter restarting) is logged and skipped; the connection is
/// opened again.
struct TelemetryRunner: Sendable {
    enum Source: Sendable {
        /// An ELM327 adapter at host:port.
        case obd(host: String, port: Int)
        /// A Modbus TCP meter at host:port, unit id.
        case modbus(host: String, port: Int, unit: UInt8)
        /// The demo's simulated vehicle or meter, made in process.
        case simulated(DeviceKind)
    }

    let source: Source
    let sampleSeconds: Double
    let batchSamples: Int
    let batches: Int?
    let key: SigningKey
    let agent: DeviceAgent.Configuration
    let logger: Logger

    func run() async throws {
        let outbox = AgentOutbox()
        var configuration = agent
        configuration.outbox = { outbox.take() }
        if batches != nil { configuration.finished = { outbox.drained } }
        let deviceAgent = try DeviceAgent(key: key, configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await deviceAgent.run() }
            group.addTask { try await record(into: outbox) }
            try await group.waitForAll()
        }
    }

    /// Reads, batches and hands batches to the agent until cancelled or `batches` are made.
    func record(into outbox: AgentOutbox) async throws {
        var reader: Reader?
        var vehicle = VehicleTelemetry()
        var meter = MeterReadings()
        var made = 0
        while !Task.isCancelled, batches.map({ made < $0 }) ?? true {
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            do {
                if reader == nil { reader = try Reader.open(source, key: key, logger: logger) }
                switch try reader!.read(at: now) {
                case .vehicle(let vin, let sample):
                    vehicle.vin = vin
                    vehicle.samples.append(sample)
                case .meter(let serial, let reading):
                    meter.serial = serial
                    meter.readings.append(reading)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("reading failed; reconnecting", metadata: ["error": "\(error)"])
                reader = nil
            }
            if vehicle.samples.count >= batchSamples || meter.readings.count >= batchSamples {
                let body: Report.OneOf_Body = vehicle.samples.isEmpty ? .meterReadings(meter) : .vehicleTelemetry(vehicle)
                outbox.put([body])
                made += 1
                logger.info("telemetry batch queued", metadata: ["samples": "\(batchSamples)", "batch": "\(made)"])
                (vehicle, meter) = (VehicleTelemetry(), MeterReadings())
            }
            try await Task.sleep(for: .seconds(sampleSeconds))
        }
        outbox.finish()
    }

    /// One reading.
    enum Reading {
        case vehicle(vin: String, VehicleSample)
        case meter(serial: String, MeterReading)
    }

    /// An open source.
    enum Reader {
        case vehicle(VehicleReader)
        case meter(ModbusClient)
        case simulated(DemoTelemetry)

        static func open(_ source: Source, key: SigningKey, logger: Logger) throws -> Reader {
            switch source {
            case .obd(let host, let port):
                var session = ELM327Session(link: try TCPLink(host: host, port: port))
                try session.start()
                var reader = VehicleReader(session: session)
                try reader.identify()
                logger.info("vehicle identified", metadata: ["adapter": "\(session.identification)", "vin": "\(reader.vin)"])
                return .vehicle(reader)
            case .modbus(let host, let port, let unit):
                return .meter(ModbusClient(link: try TCPLink(host: host, port: port), unit: unit))
            case .simulated(let kind):
                return .simulated(DemoTelemetry(kind: kind, key: key))
            }
        }

        mutating func read(at ms: Int64) throws -> Reading {
            switch self {
            case .vehicle(var reader):
                let sample = try reader.sample(at: ms)
                self = .vehicle(reader)
                return .vehicle(vin: reader.vin, sample)
            case .meter(var client):
                let registers = try client.readHoldingRegisters(at: MeterRegisterMap.base, count: MeterRegisterMap.count)
                self = .meter(client)
                let (serial, reading) = try MeterRegisterMap.decode(registers, at: ms)
                return .meter(serial: serial, reading)
            case .simulated(var demo):
                let reading = demo.read(at: ms)
                self = .simulated(demo)
                return reading
            }
        }
    }
}
