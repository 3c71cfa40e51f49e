import Agent
import ArgumentParser
import Core
import Foundation
import Logging
import Mapping
import Node
import ServiceLifecycle
import Storage
import UnixSignals

/// `depin agent KIND`: the device-side runtime.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run beside a device: sign its reports, queue them on disk, forward them to the node.")

    @Argument(help: "hotspot, render-node, storage-node, dashcam, vehicle or meter.") var kind: String
    @OptionGroup var node: NodeOptions
    @Option(name: .long, help: "The device's key file.") var key = "device.key"
    @Option(name: .long, help: "The agent's state directory (queue, nonce).") var stateDir = "./agent-state"
    @Option(name: .long, help: "Seconds between heartbeats.") var interval = 60.0
    @Option(name: .long, help: "Stop after this many heartbeats are delivered.") var count: Int?
    @Option(name: .long, help: "The longest wait between retries, seconds.") var maxBackoff = 30.0
    @Option(name: .long, help: "storage-node: the space offered for pieces, e.g. 50GB or 500MiB.") var capacity: String?
    @Option(name: .long, help: "storage-node: the address whose signed orders may put and delete pieces (the gateway's).")
    var orderer: String?
    @Option(name: .long, help: "storage-node: the address to serve pieces on.") var host = "127.0.0.1"
    @Option(name: .long, help: "storage-node: the port to serve pieces on (0: any free port, written to STATE_DIR/storage.port).")
    var port = 0
    @Option(name: .long, help: "render-node: the Blender executable.") var blender = "blender"
    @Option(
        name: .long,
        help: "render-node: render on the GPU with this Cycles backend (CUDA, OPTIX, HIP, ONEAPI or METAL); CPU by default.")
    var gpu: String?
    @Option(name: .long, help: "render-node: stop after rendering this many frames.") var frames: Int?
    @Flag(name: .long, help: "render-node: stop the first time the node has no frame to lease.") var exitWhenIdle = false
    @Option(name: .long, help: ArgumentHelp("render-node: cheat, rendering with this many samples (tests only).", visibility: .hidden))
    var cheatSamples: Int?
    @Option(name: .long, help: "dashcam: a drive as a GPX file.") var gpx: String?
    @Option(name: .long, help: "dashcam: NMEA 0183 sentences from a file or a serial device (/dev/…).") var nmea: String?
    @Option(name: .long, help: "dashcam: gpsd's JSON on HOST:PORT (IPv4), e.g. 127.0.0.1:2947.") var gpsd: String?
    @Option(name: .long, help: "dashcam: the camera's images, one per frame in name order, uploaded to the node.") var framesFrom: String?
    @Option(name: .long, help: "dashcam: a circle kept off the map, LAT,LNG,METRES (repeatable).") var privacyZone: [String] = []
    @Option(name: .long, help: "dashcam: metres dropped at each end of every trip.") var trimMetres = 100.0
    @Option(name: .long, help: "dashcam: seconds of driving per submitted segment.") var segmentSeconds = 60
    @Option(name: .long, help: "vehicle: the OBD-II adapter, socket://HOST:PORT (an ELM327 on the network).") var obd: String?
    @Option(name: .long, help: "meter: the meter's Modbus TCP server, HOST:PORT.") var modbus: String?
    @Option(name: .long, help: "meter: the Modbus unit id.") var unit: UInt8 = 1
    @Option(name: .long, help: "vehicle, meter: seconds between readings.") var sampleSeconds = 5.0
    @Option(name: .long, help: "vehicle, meter: readings per submitted batch.") var batchSamples = 12
    @Option(name: .long, help: "vehicle, meter: stop once this many batches are delivered.") var batches: Int?

    func run() async throws {
        guard let deviceKind = DeviceKind(name: kind) else {
            throw CLIError("unknown kind \(kind); one of \(DeviceKind.allNamed.map(\.name).joined(separator: ", "))")
        }
        guard interval > 0 else { throw CLIError("--interval must be more than zero") }
        guard let url = URL(string: node.node) else { throw CLIError("--node must be a URL") }
        var configuration = DeviceAgent.Configuration(kind: deviceKind, nodeURL: url, stateDirectory: stateDir)
        configuration.heartbeatInterval = interval
        configuration.heartbeatCount = count
        configuration.maxBackoff = maxBackoff
        var logger = Logger(label: "depin.agent") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        if deviceKind == .storageNode {
            guard let text = capacity, let bytes = ByteSize.parse(text), bytes > 0 else {
                throw CLIError("a storage node needs --capacity, the space it offers, e.g. --capacity 50GB")
            }
            guard (0...65_535).contains(port) else { throw CLIError("--port is between 0 and 65535") }
            guard let text = orderer, let trusted = try? Address(parsing: text) else {
                throw CLIError("a storage node needs --orderer, the address whose signed orders may put and delete pieces")
            }
            let services = try StorageNodeRunner.services(
                device: try KeyFile.load(from: key), directory: stateDir, capacityBytes: bytes, orderer: trusted, host: host, port: port,
                agent: configuration, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: services.map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            return
        }
        if deviceKind == .dashcam {
            try await runDashcam(configuration, logger: logger)
            return
        }
        if let source = try telemetrySource(deviceKind) {
            guard sampleSeconds >= 0.5, (1...3_600).contains(batchSamples), batches.map({ $0 > 0 }) ?? true else {
                throw CLIError("--sample-seconds is at least 0.5, --batch-samples 1 to 3600, --batches more than zero")
            }
            try await TelemetryRunner(
                source: source, sampleSeconds: sampleSeconds, batchSamples: batchSamples, batches: batches,
                key: try KeyFile.load(from: key), agent: configuration, logger: logger
            ).run()
            return
        }
        if deviceKind == .renderNode {
            // Blender reads and writes relative to its own idea of the current folder: give it absolute paths.
            let directory = URL(fileURLWithPath: stateDir).standardizedFileURL.path
            let backend = gpu?.uppercased()
            if let backend, !BlenderRenderer.gpuBackends.contains(backend) {
                throw CLIError("--gpu \(gpu ?? ""): Cycles backends are \(BlenderRenderer.gpuBackends.joined(separator: ", "))")
            }
            var render = RenderNodeAgent.Configuration(
                nodeURL: url, directory: directory,
                renderer: BlenderRenderer(executable: blender, logPath: directory + "/blender.log", gpu: backend))
            render.pollInterval = interval
            render.maxFrames = frames
            render.exitWhenIdle = exitWhenIdle
            render.cheatSamples = cheatSamples
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            do {
                let count = try await RenderNodeAgent(key: try KeyFile.load(from: key), configuration: render, logger: logger).run()
                logger.info("render node stopped", metadata: ["frames": "\(count)"])
            } catch let error as RenderError {
                throw CLIError(error.description)
            }
            return
        }
        let agent = try DeviceAgent(key: try KeyFile.load(from: key), configuration: configuration, logger: logger)
        try await agent.run()
    }

    /// A vehicle's adapter or a meter's Modbus server, when given; nil for heartbeats alone.
    private func telemetrySource(_ kind: DeviceKind) throws -> TelemetryRunner.Source? {
        if let obd {
            guard kind == .vehicle else { throw CLIError("--obd is for a vehicle") }
            let (host, port) = try HostPort.obd(obd)
            return .obd(host: host, port: port)
        }
        if let modbus {
            guard kind == .meter else { throw CLIError("--modbus is for a meter") }
            let (host, port) = try HostPort.modbus(modbus)
            return .modbus(host: host, port: port, unit: unit)
        }
        return nil
    }

    /// A dashcam: its GPS source, camera and privacy rules, checked before anything runs.
    private func runDashcam(_ configuration: DeviceAgent.Configuration, logger: Logger) async throws {
        let sources = [gpx, nmea, gpsd].compactMap { $0 }
        guard sources.count == 1 else { throw CLIError("a dashcam reads one of --gpx FILE, --nmea FILE|DEVICE or --gpsd HOST:PORT") }
        let source: DashcamRunner.Source
        if let gpx {
            source = .gpx(gpx)
        } else if let nmea {
            source = .nmea(nmea)
        } else {
            let (host, port) = try HostPort.parse(gpsd ?? "", option: "--gpsd", example: "127.0.0.1:2947")
            source = .gpsd(host: host, port: port)
        }
        var zones: [DrivePrivacy.Zone] = []
        for text in privacyZone {
            let parts = text.split(separator: ",").compactMap { Double($0) }
            guard parts.count == 3, (-90...90).contains(parts[0]), (-180...180).contains(parts[1]), parts[2] > 0 else {
                throw CLIError("--privacy-zone is LAT,LNG,METRES, e.g. 37.7749,-122.4194,200; got \(text)")
            }
            zones.append(DrivePrivacy.Zone(lat: parts[0], lng: parts[1], radiusM: parts[2]))
        }
        guard trimMetres >= 0, (5...3_600).contains(segmentSeconds) else {
            throw CLIError("--trim-metres is 0 or more, --segment-seconds between 5 and 3600")
        }
        try await DashcamRunner(
            source: source, frames: framesFrom, privacy: DrivePrivacy(trimM: trimMetres, zones: zones), segmentSeconds: segmentSeconds,
            key: try KeyFile.load(from: key), agent: configuration, logger: logger
        ).run()
    }
}

/// The heartbeat agent as a service beside the storage node's server.
struct HeartbeatService: Service {
    let agent: DeviceAgent

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await agent.run() }
        } catch is CancellationError {
            // Shutting down: the queued reports stay on disk for the next run.
        }
    }
}
