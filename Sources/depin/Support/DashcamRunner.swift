import Agent
import Core
import Foundation
import Logging
import Mapping
import Synchronization

/// `depin agent dashcam`: reads a drive from a GPS source, takes a frame every 8 m from the
/// camera's image folder, applies the owner's privacy rules on the device, and submits the drive
/// as signed segments through the agent's queue, with its heartbeats. A file source is read to
/// its end, delivered, and the agent stops; a live one (a serial device, gpsd) runs until stopped.
struct DashcamRunner: Sendable {
    enum Source: Sendable {
        /// A GPX file.
        case gpx(String)
        /// NMEA 0183 sentences from a file or a serial device.
        case nmea(String)
        /// gpsd's JSON on a TCP port.
        case gpsd(host: String, port: Int)
        /// Fixes made in process (the demo's simulated drive), until cancelled.
        case simulated(AsyncThrowingStream<GpsFix, any Error>)

        var isLive: Bool {
            switch self {
            case .nmea(let path): path.hasPrefix("/dev/")
            case .gpsd, .simulated: true
            case .gpx: false
            }
        }
    }

    let source: Source
    let frames: String?
    let privacy: DrivePrivacy
    let segmentSeconds: Int
    /// The camera makes a small image per frame instead of reading a folder (the demo's).
    var syntheticFrames = false
    let key: SigningKey
    let agent: DeviceAgent.Configuration
    let logger: Logger

    func run() async throws {
        let outbox = AgentOutbox()
        var configuration = agent
        configuration.outbox = { outbox.take() }
        if !source.isLive { configuration.finished = { outbox.drained } }
        let deviceAgent = try DeviceAgent(key: key, configuration: configuration, logger: logger)
        let camera = try Camera(folder: frames, synthetic: syntheticFrames)
        if frames == nil, !syntheticFrames {
            logger.warning("no --frames folder: the dashcam submits its track without frames, which maps nothing")
        }
        let uploader = NodeClient(baseURL: agent.nodeURL, timeout: 30)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await deviceAgent.run() }
            group.addTask {
                var segmenter = DriveSegmenter(privacy: privacy, segmentMs: Int64(segmentSeconds) * 1_000) { fix in
                    camera.take(at: fix)
                }
                var count = 0
                var dropped = 0
                let gates = DriveQuality(parameters: MappingParameters())
                func ship(_ segments: [DriveSegment]) async {
                    for segment in segments {
                        await upload(segment, camera: camera, client: uploader)
                        count += 1
                        logger.info(
                            "drive segment queued",
                            metadata: ["sequence": "\(segment.sequence)", "fixes": "\(segment.fixes.count)", "frames": "\(segment.frames.count)"])
                    }
                    outbox.put(segments.map { .driveSegment($0) })
                }
                // Fixes the network would refuse (no 3D fix yet, few satellites, a high HDOP) are
                // dropped here, so that one bad fix does not cost a whole segment.
                for try await fix in fixes() {
                    guard gates.check(fix) == nil else {
                        dropped += 1
                        continue
                    }
                    await ship(segmenter.add(fix))
                }
                await ship(segmenter.finish())
                logger.info("drive read", metadata: ["segments": "\(count)", "fixes_dropped": "\(dropped)"])
                outbox.finish()
            }
            try await group.waitForAll()
        }
    }

    /// Each frame's image, to the node's content store; a failure is logged, not fatal (the
    /// segment still carries the image's hash).
    func upload(_ segment: DriveSegment, camera: Camera, client: NodeClient) async {
        // Segments leave in time order: an image taken before this segment's end that is not in
        // it was trimmed or in a privacy zone, and never leaves the device.
        defer { if let end = segment.fixes.last?.timestampMs { camera.discard(takenUpTo: end) } }
        for frame in segment.frames {
            // Once stopping, no new requests: URLSession on Linux can trap on requests started
            // while their task is being cancelled (seen once in the demo at Ctrl-C).
            guard !Task.isCancelled else { return }
            guard let bytes = camera.image(of: frame.sha256) else { continue }
            do {
                let reply = try await client.put("/v1/content", body: bytes, headers: ["Content-Type": "application/octet-stream"])
                if !(200..<300).contains(reply.status) {
                    logger.warning("frame upload refused", metadata: ["status": "\(reply.status)", "error": "\(reply.errorMessage ?? "")"])
                }
            } catch {
                logger.warning("frame upload failed; its hash is still in the segment", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The source's fixes, as they come. A file or device is read line by line on a thread of
    /// its own (its reads block), so a live source never holds up the agent.
    func fixes() -> AsyncThrowingStream<GpsFix, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GpsFix.self)
        let logger = logger
        switch source {
        case .simulated(let fixes):
            return fixes
        case .gpx(let path):
            do {
                guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
                for fix in try GPXReader.fixes(in: data) { continuation.yield(fix) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        case .nmea(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                continuation.finish(throwing: CLIError("cannot read \(path)"))
                break
            }
            Self.readLines(handle, finish: { continuation.finish() }) {
                nonisolated(unsafe) var reader = NMEAReader()
                return { line in
                    if let line {
                        for fix in reader.read(line) { continuation.yield(fix) }
                    } else {
                        if let last = reader.finish() { continuation.yield(last) }
                        if reader.skipped > 0 { logger.warning("NMEA lines skipped", metadata: ["count": "\(reader.skipped)"]) }
                    }
                }
            }
        case .gpsd(let host, let port):
            // gpsd may come up after the dashcam (at boot, say) or restart: keep trying.
            let thread = Thread {
                var reader = GpsdReader()
                var waiting = false
                while true {
                    guard let handle = try? Self.connect(host: host, port: port) else {
                        if !waiting { logger.warning("gpsd is not reachable yet; trying every second", metadata: ["gpsd": "\(host):\(port)"]) }
                        waiting = true
                        Thread.sleep(forTimeInterval: 1)
                        continue
                    }
                    if waiting { logger.info("connected to gpsd", metadata: ["gpsd": "\(host):\(port)"]) }
                    waiting = false
                    handle.write(Data(GpsdReader.watch.utf8))
                    Self.forEachLine(handle) { line in
                        if let fix = reader.read(line) { continuation.yield(fix) }
                    }
                    logger.warning("gpsd closed the connection; reconnecting", metadata: ["gpsd": "\(host):\(port)"])
                }
            }
            thread.start()
        }
        return stream
    }

    /// Reads `handle` to its end on a thread of its own, passing each line to the consumer
    /// `make` returns (and nil at the end), then calls `finish`.
    static func readLines(
        _ handle: FileHandle, finish: @escaping @Sendable () -> Void, make: @escaping @Sendable () -> (String?) -> Void
    ) {
        let thread = Thread {
            let consume = make()
            forEachLine(handle) { consume($0) }
            consume(nil)
            finish()
        }
        thread.start()
    }

    /// Reads `handle` to its end, blocking, passing each line to `body`.
    static func forEachLine(_ handle: FileHandle, _ body: (String) -> Void) {
        var pending = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                body(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { body(String(decoding: pending, as: UTF8.self)) }
    }

    /// A TCP connection to gpsd at `host:port` (an IPv4 address or "localhost") as a file handle.
    static func connect(host: String, port: Int) throws -> FileHandle {
        FileHandle(fileDescriptor: try TCPLink.connectedSocket(host: host, port: port, timeout: nil), closeOnDealloc: true)
    }

    /// The camera: the images of a folder, in name order, one per frame taken, or (synthetic) a
    /// small grey image made from the fix; their SHA-256 is what a segment carries. An image is
    /// kept until it is uploaded, or until a later segment shows it will never be.
    final class Camera: Sendable {
        let images: [String]
        let synthetic: Bool
        let state = Mutex<(next: Int, taken: [Data: (bytes: Data, ms: Int64)])>((0, [:]))

        init(folder: String?, synthetic: Bool = false) throws {
            self.synthetic = synthetic
            guard let folder else {
                images = []
                return
            }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                throw CLIError("cannot read the frames folder \(folder)")
            }
            images = names.sorted().map { folder + "/" + $0 }.filter { path in
                var directory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && !directory.boolValue
            }
            guard !images.isEmpty else { throw CLIError("the frames folder \(folder) has no images") }
        }

        /// The next image's hash, or nil when the camera has none left.
        func take(at fix: GpsFix) -> Data? {
            state.withLock { state in
                let bytes: Data
                if synthetic {
                    // A 16 by 16 PGM whose pixels come from where and when it was taken.
                    let seed = SHA256Digest.hash(Data("\(fix.timestampMs) \(fix.lat) \(fix.lng)".utf8))
                    bytes = Data("P5 16 16 255\n".utf8) + Data((0..<8).flatMap { _ in seed })
                } else {
                    guard state.next < images.count, let read = FileManager.default.contents(atPath: images[state.next]) else {
                        return nil
                    }
                    bytes = read
                    state.next += 1
                }
                let hash = SHA256Digest.hash(bytes)
                state.taken[hash] = (bytes, fix.timestampMs)
                return hash
            }
        }

        /// The image with `hash`, handed over once (for its upload).
        func image(of hash: Data) -> Data? { state.withLock { $0.taken.removeValue(forKey: hash)?.bytes } }

        /// Forgets the images taken at or before `ms` that are still held.
        func discard(takenUpTo ms: Int64) { state.withLock { $0.taken = $0.taken.filter { $0.value.ms > ms } } }
    }
}
