import Core
import Foundation
import Geo

/// The quality gates a drive segment passes before it can count, each failure with its reason
/// code: the checks that need only the segment itself and the report's time, run as the report
/// arrives (`MappingService.validate`). Checks against other reports (a frame or a track seen
/// before, a drive starting where the last could not have reached) run when the epoch is scored.
public struct DriveQuality: Sendable {
    public let parameters: MappingParameters

    public init(parameters: MappingParameters) {
        self.parameters = parameters
    }

    /// Nothing when `segment`, reported at `reportMs`, passes; else why it does not.
    public func check(_ segment: DriveSegment, reportMs: Int64) -> MappingReason? {
        let fixes = segment.fixes
        guard let first = fixes.first, let last = fixes.last else { return .noFixes }
        guard fixes.count <= parameters.maxFixesPerSegment, segment.frames.count <= parameters.maxFixesPerSegment * 4 else {
            return .tooManyFixes
        }
        for fix in fixes {
            if let reason = check(fix) { return reason }
        }
        for frame in segment.frames where !Self.onEarth(lat: frame.lat, lng: frame.lng) || frame.sha256.count != 32 {
            return .badCoordinates
        }
        guard Self.increasing(fixes.map(\.timestampMs)), Self.increasing(segment.frames.map(\.timestampMs)) else {
            return .timeNotMonotonic
        }
        let latestMs = max(last.timestampMs, segment.frames.last?.timestampMs ?? .min)
        guard latestMs <= reportMs + parameters.clockSkewMs else { return .fromTheFuture }
        guard first.timestampMs >= reportMs - parameters.maxAgeSeconds * 1_000 else { return .tooOld }
        for (a, b) in zip(fixes, fixes.dropFirst()) {
            let seconds = Double(b.timestampMs - a.timestampMs) / 1_000
            if DriveGeometry.metres(a, b) > parameters.maxImpliedSpeedMps * seconds { return .teleport }
        }
        guard fixes.allSatisfy({ $0.speedMps <= parameters.maxSpeedMps }) else { return .speedOutOfBounds }
        // Frames count by distance: a segment that went nowhere maps nothing, however many frames.
        guard DriveGeometry.length(fixes) >= parameters.frameSpacingM,
            fixes.contains(where: { $0.speedMps >= parameters.minSpeedMps })
        else { return .parked }
        var hashes: Set<Data> = []
        for frame in segment.frames {
            guard hashes.insert(frame.sha256).inserted else { return .duplicateFrame }
            guard let at = DriveGeometry.position(at: frame.timestampMs, on: fixes),
                GreatCircle.metres(lat1: at.lat, lng1: at.lng, lat2: frame.lat, lng2: frame.lng)
                    <= max(parameters.frameSpacingM * 4, 25)
            else { return .frameOffTrack }
        }
        return nil
    }

    /// One fix's own gates: a place on Earth, the fix, the satellites, the HDOP. A dashcam drops
    /// the fixes that fail them before it segments (a receiver's first fixes are often 2D).
    public func check(_ fix: GpsFix) -> MappingReason? {
        guard Self.onEarth(lat: fix.lat, lng: fix.lng), fix.speedMps.isFinite, fix.hdop.isFinite else { return .badCoordinates }
        guard fix.fixQuality >= parameters.minFixQuality, fix.fixMode == 0 || fix.fixMode >= parameters.minFixMode else {
            return .badFix
        }
        guard fix.satellites >= parameters.minSatellites else { return .fewSatellites }
        guard fix.hdop <= parameters.maxHDOP else { return .highHDOP }
        return nil
    }

    /// The frames of `segment` that map something new: each at least half the frame spacing from
    /// the last one kept (a car waiting at a light adds nothing).
    public func spacedFrames(_ segment: DriveSegment) -> [FrameRecord] {
        var kept: [FrameRecord] = []
        for frame in segment.frames {
            if let last = kept.last,
                GreatCircle.metres(lat1: last.lat, lng1: last.lng, lat2: frame.lat, lng2: frame.lng)
                    < parameters.frameSpacingM / 2
            {
                continue
            }
            kept.append(frame)
        }
        return kept
    }

    static func onEarth(lat: Double, lng: Double) -> Bool {
        lat.isFinite && lng.isFinite && (-90...90).contains(lat) && (-180...180).contains(lng) && !(lat == 0 && lng == 0)
    }

    static func increasing(_ times: [Int64]) -> Bool { zip(times, times.dropFirst()).allSatisfy { $0 < $1 } }
}
