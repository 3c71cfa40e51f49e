import Core
import Foundation

/// What a dashcam does with fixes as they arrive: it takes a frame every `frameSpacingM` metres
/// driven (by distance, not time), applies the privacy rules as a stream (a trip's first
/// `privacy.trimM` metres never leave; its last ones are held back until the trip goes on, and
/// dropped when it ends; nothing inside a privacy zone leaves), and cuts what may leave into
/// segments of about `segmentMs`. A fix without a speed (negative) gets the one from the fix
/// before it. A gap of more than `privacy.tripGapMs` between fixes, or
/// `finish()`, ends a trip; each trip is a new drive with a random id.
public struct DriveSegmenter: Sendable {
    public var privacy: DrivePrivacy
    public var segmentMs: Int64
    public var frameSpacingM: Double
    /// The SHA-256 of the image the camera takes at a fix; nil when it has none.
    let camera: @Sendable (GpsFix) -> Data?

    private struct Entry {
        var fix: GpsFix
        var travelled: Double
        var frame: FrameRecord?
    }

    private var trip: [Entry] = []
    private var released = 0
    private var drive = Data()
    private var sequence: UInt32 = 0
    private var lastFrameAt = -Double.infinity

    public init(
        privacy: DrivePrivacy = DrivePrivacy(), segmentMs: Int64 = 60_000, frameSpacingM: Double = 8,
        camera: @escaping @Sendable (GpsFix) -> Data?
    ) {
        self.privacy = privacy
        self.segmentMs = segmentMs
        self.frameSpacingM = frameSpacingM
        self.camera = camera
    }

    /// Takes the next fix; the segments now ready to leave.
    public mutating func add(_ fix: GpsFix) -> [DriveSegment] {
        var ready: [DriveSegment] = []
        if let last = trip.last?.fix {
            // A fix no later than the last (a receiver repeating itself) adds nothing.
            guard fix.timestampMs > last.timestampMs else { return [] }
            if fix.timestampMs - last.timestampMs > privacy.tripGapMs { ready += endTrip() }
        }
        if trip.isEmpty {
            drive = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
            sequence = 0
            released = 0
            lastFrameAt = -Double.infinity
        }
        var fix = fix
        if fix.speedMps < 0 {
            // A source that reports no speed (gpsd without one, say): from the last fix.
            fix.speedMps = trip.last.map { DriveGeometry.metres($0.fix, fix) / (Double(fix.timestampMs - $0.fix.timestampMs) / 1_000) } ?? 0
        }
        let travelled = trip.last.map { $0.travelled + DriveGeometry.metres($0.fix, fix) } ?? 0
        var entry = Entry(fix: fix, travelled: travelled)
        if travelled - lastFrameAt >= frameSpacingM, let hash = camera(fix) {
            var frame = FrameRecord()
            frame.timestampMs = fix.timestampMs
            frame.lat = fix.lat
            frame.lng = fix.lng
            frame.sha256 = hash
            entry.frame = frame
            lastFrameAt = travelled
        }
        trip.append(entry)
        // Everything more than the trim behind the newest fix may leave, in segments of about segmentMs.
        let releasable = trip.firstIndex { $0.travelled >= travelled - privacy.trimM } ?? trip.count
        if releasable > released, trip[releasable - 1].fix.timestampMs - trip[released].fix.timestampMs >= segmentMs {
            ready += segment(upTo: releasable)
        }
        return ready
    }

    /// Ends the trip: what may leave of it, its last `trimM` metres dropped.
    public mutating func finish() -> [DriveSegment] { endTrip() }

    private mutating func endTrip() -> [DriveSegment] {
        guard let end = trip.last?.travelled else { return [] }
        let releasable = trip.firstIndex { $0.travelled >= end - privacy.trimM } ?? trip.count
        let ready = releasable > released ? segment(upTo: releasable) : []
        trip = []
        return ready
    }

    /// The entries released..<end as a segment, less the trip's start and the privacy zones.
    private mutating func segment(upTo end: Int) -> [DriveSegment] {
        let entries = trip[released..<end].filter { entry in
            entry.travelled > privacy.trimM && !privacy.inZone(lat: entry.fix.lat, lng: entry.fix.lng)
        }
        released = end
        guard !entries.isEmpty else { return [] }
        var segment = DriveSegment()
        segment.drive = drive
        segment.sequence = sequence
        segment.fixes = entries.map(\.fix)
        segment.frames = entries.compactMap(\.frame)
        sequence += 1
        return [segment]
    }
}
