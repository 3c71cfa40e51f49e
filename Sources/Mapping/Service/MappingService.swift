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
/// at its spaced frames; a driver's shares are the distinct cells it mapped in the epoch (so
/// repeated passes over a cell count once), each weighed by how stale the cell was, its
/// region's map progress and any bounty on it, all scaled by the driver's reputation
/// (`MappingRewards`). The map carries across epochs as the service's state (`MapState`).
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

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] { close(epoch).scores }

    /// Closes an epoch against the map the previous one left: cross-checks the segments, weighs
    /// each driver's distinct cells (`MappingRewards`), pays bounties, and leaves the map with
    /// this epoch's cells and reputations in it.
    public func close(_ epoch: ServiceEpoch) -> ServiceOutcome {
        var state = (try? MapState(decoding: epoch.state)) ?? MapState()
        let rewards = MappingRewards(parameters: parameters, map: state, epoch: epoch)
        var scores: [Address: ServiceScore] = [:]
        let passes = crossChecked(epoch, scores: &scores)
        let registered = Set(epoch.devices.map(\.id))
        let drivers = Set(passes.keys).union(scores.keys).union(epoch.refused.keys.filter(registered.contains))
        for driver in drivers.sorted() {
            var score = scores[driver] ?? ServiceScore(shares: 0, counted: 0)
            let refused = epoch.refused[driver]?.values.reduce(0, +) ?? 0
            let reputation = rewards.reputation(of: driver, counted: score.counted, rejected: score.rejected.values.reduce(0, +) + refused)
            state.reputation[driver] = reputation
            let cells = passes[driver] ?? [:]
            score.shares = rewards.shares(cells: cells.keys, reputation: reputation)
            score.multiplier = Permille.decimal(cells.isEmpty ? reputation : Int(score.shares / UInt128(cells.count)))
            scores[driver] = score
        }
        let (usage, refunds) = rewards.bountyPayouts(passes: passes, paid: epoch.paid)
        for driver in passes.keys.sorted() {
            for (index, pass) in passes[driver]!.sorted(by: { $0.key < $1.key }) {
                if let known = state.cells[index], known.mappedMs >= pass.ms { continue }
                state.cells[index] = MapState.Cell(
                    mappedMs: pass.ms, mapper: driver, frames: pass.frames.suffix(MapState.framesPerCell).map(MapState.Frame.init))
            }
        }
        return ServiceOutcome(scores: scores, usage: usage, state: state.encoded(), refunds: refunds)
    }

    /// A driver's newest pass over one cell in the epoch: when, and its frames there.
    struct Pass {
        var ms: Int64
        var segment: Int
        var frames: [FrameRecord]
    }

    /// Runs the cross-checks over every segment of the epoch in report order (time, then device),
    /// so the first to submit a frame or a track owns it, and returns each driver's passes by
    /// cell; `scores` gets the counted and rejected segments.
    func crossChecked(_ epoch: ServiceEpoch, scores: inout [Address: ServiceScore]) -> [Address: [UInt64: Pass]] {
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
        var passes: [Address: [UInt64: Pass]] = [:]
        for (number, (device, _, segment)) in segments.enumerated() {
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
                guard let cell = try? H3Cell(latitude: frame.lat, longitude: frame.lng, resolution: parameters.cellResolution)
                else { continue }
                var pass = passes[device]?[cell.index] ?? Pass(ms: frame.timestampMs, segment: number, frames: [])
                if pass.segment != number { pass = Pass(ms: frame.timestampMs, segment: number, frames: []) }
                pass.ms = max(pass.ms, frame.timestampMs)
                pass.frames.append(frame)
                passes[device, default: [:]][cell.index] = pass
            }
        }
        return passes
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
