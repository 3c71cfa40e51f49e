import Core
import Foundation
import Geo
import Ledger
import Rewards

/// The mapping network's service (Hivemapper's row). Dashcams submit drive segments
/// (`drive_segment`): GPS fixes and the hashes of frames taken about every 8 m. Each segment
/// passes the quality gates as it arrives (`DriveQuality`); when the epoch is scored, segments
/// are checked against each other, in report order: a frame image or a track already submitted
/// (by anyone) is a duplicate, and a drive that starts farther from the same dashcam's last end
/// than it could have driven since is refused. What is left maps road cells (H3 resolution 12)
/// at its spaced frames; a driver's shares are the distinct cells it mapped in the epoch, so
/// repeated passes over a cell count once.
public struct MappingService: NetworkService {
    public let name: String
    public let reportTypes: [String: Set<DeviceKind>]
    public let parameters: MappingParameters
    let quality: DriveQuality

    /// The service for `service`'s genesis table; a bad parameter is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        name = service.name
        parameters = try MappingParameters(service: service)
        quality = DriveQuality(parameters: parameters)
        let kinds = Set(service.kinds)
        reportTypes = ["heartbeat": kinds, "drive_segment": kinds]
    }

    public func validate(_ report: Report, kind: DeviceKind) -> String? {
        guard case .driveSegment(let segment)? = report.body else { return nil }
        guard segment.drive.count == 16 else { return MappingReason.badDriveID.rawValue }
        return quality.check(segment, reportMs: report.timestampMs)?.rawValue
    }

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] {
        // Every segment of the epoch in report order (time, then device), so the first to
        // submit a frame or a track owns it.
        var segments: [(device: Address, report: Report, segment: DriveSegment)] = []
        for device in epoch.devices {
            for report in epoch.reports[device.id] ?? [] {
                if case .driveSegment(let segment)? = report.body { segments.append((device.id, report, segment)) }
            }
        }
        segments.sort { ($0.report.timestampMs, $0.device.description, $0.report.nonce) < ($1.report.timestampMs, $1.device.description, $1.report.nonce) }
        var frames: Set<Data> = []
        var tracks: Set<Data> = []
        var lastEnd: [Address: GpsFix] = [:]
        var cells: [Address: Set<UInt64>] = [:]
        var scores: [Address: ServiceScore] = [:]
        for (device, _, segment) in segments {
            var score = scores[device] ?? ServiceScore(shares: 0, counted: 0)
            defer { scores[device] = score }
            if let reason = crossCheck(segment, device: device, frames: frames, tracks: tracks, lastEnd: lastEnd) {
                score.rejected[reason.rawValue, default: 0] += 1
                continue
            }
            frames.formUnion(segment.frames.map(\.sha256))
            tracks.insert(Self.fingerprint(segment.fixes))
            lastEnd[device] = segment.fixes.last
            score.counted += 1
            for frame in quality.spacedFrames(segment) {
                if let cell = try? H3Cell(latitude: frame.lat, longitude: frame.lng, resolution: parameters.cellResolution) {
                    cells[device, default: []].insert(cell.index)
                }
            }
        }
        for (device, mapped) in cells { scores[device]?.shares = UInt128(mapped.count) }
        return scores
    }

    /// The gates that need the segments before this one.
    func crossCheck(
        _ segment: DriveSegment, device: Address, frames: Set<Data>, tracks: Set<Data>, lastEnd: [Address: GpsFix]
    ) -> MappingReason? {
        guard let first = segment.fixes.first else { return .noFixes }
        if segment.frames.contains(where: { frames.contains($0.sha256) }) { return .duplicateFrame }
        if tracks.contains(Self.fingerprint(segment.fixes)) { return .duplicateTrack }
        if let end = lastEnd[device] {
            let seconds = Double(first.timestampMs - end.timestampMs) / 1_000
            if seconds < 0 { return .timeNotMonotonic }
            if DriveGeometry.metres(end, first) > parameters.maxImpliedSpeedMps * seconds + 100 { return .farFromLastEnd }
        }
        return nil
    }

    /// A track's shape, whatever its times: SHA-256 of its positions to a tenth of a metre or so.
    /// A replay of another's drive with shifted clocks has the same one.
    static func fingerprint(_ fixes: [GpsFix]) -> Data {
        var bytes = Data()
        for fix in fixes {
            withUnsafeBytes(of: Int64((fix.lat * 1e6).rounded()).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: Int64((fix.lng * 1e6).rounded()).littleEndian) { bytes.append(contentsOf: $0) }
        }
        return SHA256Digest.hash(bytes)
    }
}
