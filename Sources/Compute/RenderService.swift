import Core
import Ledger
import Rewards

/// The rendering network's service (Render's row). Nodes report their benchmark and each frame
/// they finish; the market (leases, escrow, payment) runs in the node. An epoch's pool is split
/// by the value of the work accepted in it, as Render splits by approved work (RNP-001): a
/// node's shares are the credits its frames earned, and those credits are its usage.
public struct RenderService: NetworkService {
    public let name: String
    public let reportTypes: [String: Set<DeviceKind>]
    /// Its parameters.
    public let parameters: RenderParameters

    /// The service for `service`'s genesis table.
    public init(service: Genesis.Service) throws(GenesisError) {
        name = service.name
        parameters = try RenderParameters(service: service)
        let kinds = Set(service.kinds)
        reportTypes = ["heartbeat": kinds, "rendered_frame": kinds, "render_benchmark": kinds]
    }

    public func validate(_ report: Report, kind: DeviceKind) -> String? {
        switch report.body {
        case .renderedFrame(let frame)?:
            guard RenderReason.isJobID(frame.job) else { return RenderReason.badJob.rawValue }
            guard RenderReason.isSHA256(frame.outputSha256) else { return RenderReason.badOutput.rawValue }
            guard (1...86_400_000).contains(frame.renderMs) else { return RenderReason.badRenderTime.rawValue }
        case .renderBenchmark(let benchmark)?:
            guard RenderReason.isSHA256(benchmark.sceneSha256), RenderReason.isSHA256(benchmark.outputSha256) else {
                return RenderReason.badOutput.rawValue
            }
            guard (1...86_400_000).contains(benchmark.renderMs) else { return RenderReason.badRenderTime.rawValue }
            guard !benchmark.renderer.isEmpty, benchmark.renderer.utf8.count <= 200 else {
                return RenderReason.badRenderer.rawValue
            }
        default: break
        }
        return nil
    }

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] {
        var scores: [Address: ServiceScore] = [:]
        for device in epoch.devices {
            let frames = (epoch.reports[device.id] ?? []).filter { $0.typeName == "rendered_frame" }.count
            let earned = epoch.paid[device.id.description] ?? .zero
            guard frames > 0 || earned > .zero else { continue }
            scores[device.id] = ServiceScore(shares: earned.units, counted: frames)
        }
        return scores
    }
}
