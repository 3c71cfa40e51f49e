import Compute
import Core
import Foundation
import Hummingbird
import Ledger
import Store

/// The rendering market: nodes report benchmarks, take leases and return frames; creators (who
/// submit jobs as `submit_render_job` transactions) follow their jobs.
struct RenderRoutes {
    let state: NodeState

    struct JobView: Encodable {
        var job: RenderJob
        var progressPercent: Int
        var tasks: [RenderTask]
        var results: [RenderResult]
    }

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/render/benchmarks") { request, _ in
            let service = try rendering()
            let report = try await signedReport(request)
            guard case .renderBenchmark(let benchmark)? = report.body else {
                throw NodeError.coded("wrong_report_type", "send a signed report with a render_benchmark body")
            }
            if benchmark.checkSeed != 0 { return try await answer(report, benchmark, service.parameters) }
            guard state.content.contains(benchmark.sceneSha256) else {
                throw NodeError.coded("scene_not_uploaded", "upload the reference scene to /v1/content first")
            }
            guard let png = state.content.get(benchmark.outputSha256) else {
                throw NodeError.coded("frame_not_uploaded", "upload the benchmark frame to /v1/content first")
            }
            guard (try? PNGImage(png: png)) != nil else {
                throw NodeError.coded("frame_not_png", "the uploaded benchmark frame is not a readable PNG")
            }
            guard benchmark.renderMs > 0 else {
                throw NodeError.coded("invalid_benchmark", "render_ms must be positive")
            }
            let parameters = service.parameters
            // The reference scene is checked before the report is logged.
            let pinned = try await state.store.renderReferenceScene()
            if let reference = parameters.referenceScene ?? pinned, reference != benchmark.sceneSha256 {
                throw NodeError.coded(
                    "wrong_reference_scene", "the benchmark must render the reference scene \(reference) (GET /v1/render/reference)")
            }
            let device = try await ingest(report)
            let record = RenderNodeBenchmark(
                device: device, scene: benchmark.sceneSha256, output: benchmark.outputSha256,
                benchmarkMs: Int64(min(benchmark.renderMs, UInt64(Int64.max))), renderer: benchmark.renderer,
                startReputation: parameters.startReputation, pinnedScene: parameters.referenceScene, nowMs: state.clock.nowMs())
            let node = try await stored { try await state.store.recordRenderBenchmark(record) }
            return try JSONBody.response(node, status: .created)
        }
        router.get("/v1/render/reference") { _, _ in
            let parameters = try rendering().parameters
            if let pinned = parameters.referenceScene {
                return try JSONBody.response(Reference(sceneSha256: pinned, pinnedBy: "genesis"))
            }
            guard let scene = try await state.store.renderReferenceScene() else {
                throw NodeError.coded("no_reference_scene", "no benchmark has pinned the reference scene yet")
            }
            return try JSONBody.response(Reference(sceneSha256: scene, pinnedBy: "first benchmark"))
        }
        router.post("/v1/render/leases") { request, _ in
            let service = try rendering()
            let report = try await signedReport(request)
            guard case .heartbeat? = report.body else {
                throw NodeError.coded("wrong_report_type", "ask for a lease with a signed heartbeat report")
            }
            let device = try await ingest(report)
            var leasing = policy(service.parameters)
            leasing.checkWaitMs = service.parameters.verifyWaitSeconds * 1000
            leasing.epoch = state.genesis.epochs.epoch(ofMs: state.clock.nowMs())
            // At random (or when owed), the node renders its benchmark again instead.
            if let node = try await state.store.renderNode(device) {
                let seed = epochSeed()
                leasing.benchmarkCheckSeed =
                    node.checkDue
                    ? RenderSampling.owedCheck(seed: seed, device: device.address, leases: node.leases)
                    : RenderSampling.benchmarkCheck(
                        seed: seed, device: device.address, leases: node.leases, percent: service.parameters.benchmarkCheckPercent)
            }
            guard let lease = try await stored({ try await state.store.leaseRenderTask(device: device, policy: leasing, nowMs: state.clock.nowMs()) })
            else { return Response(status: .noContent) }
            return try JSONBody.response(lease)
        }
        router.post("/v1/render/frames") { request, _ in
            let service = try rendering()
            let report = try await signedReport(request)
            guard case .renderedFrame(let frame)? = report.body else {
                throw NodeError.coded("wrong_report_type", "send a signed report with a rendered_frame body")
            }
            guard let png = state.content.get(frame.outputSha256) else {
                throw NodeError.coded("frame_not_uploaded", "upload the frame to /v1/content first")
            }
            let image: PNGImage
            do { image = try PNGImage(png: png) } catch {
                throw NodeError.coded("frame_not_png", "the uploaded frame is not a readable PNG: \(error)")
            }
            guard let job = try await state.store.renderJob(frame.job) else {
                throw NodeError.coded("unknown_job", "no render job \(frame.job)")
            }
            let device = try PublicKey(rawRepresentation: report.device)
            guard let node = try await state.store.renderNode(device) else {
                throw NodeError.coded("not_benchmarked", "the node has not reported its benchmark yet")
            }
            // Checked before the report is logged, so the log holds only frames the market took.
            guard let leased = try await state.store.renderTask(job: frame.job, frame: Int(frame.frame)),
                ["leased", "checking", "disputing"].contains(leased.state), leased.node == device.address
            else { throw NodeError.coded("no_lease", "\(device.address) holds no lease on frame \(frame.frame) of job \(frame.job)") }
            let parameters = service.parameters
            let finding = try await check(leased, image: image, parameters: parameters)
            _ = try await ingest(report)
            let now = state.clock.nowMs()
            // A render is paid for no longer than the node held the lease.
            let leasedMs = (leased.leaseUntilMs ?? now) - parameters.leaseSeconds * 1000
            let renderMs = min(Int64(min(frame.renderMs, UInt64(Int64.max))), max(now - leasedMs, 1))
            let price = parameters.price(renderMs: renderMs, benchmarkMs: node.benchmarkMs, tier: job.tier)
            let rules = policy(parameters)
            let epoch = state.genesis.epochs.epoch(ofMs: now)
            let completion = RenderCompletion(
                device: device, job: frame.job, frame: Int(frame.frame), output: frame.outputSha256,
                renderMs: renderMs, price: price, check: finding, policy: rules, epoch: epoch, nowMs: now)
            return try JSONBody.response(try await stored { try await state.store.completeRenderTask(completion) })
        }
        router.get("/v1/render/jobs") { request, _ in
            let creator = try request.uri.queryParameters.get("creator").map { try LedgerRoutes.address($0) }
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 500)
            return try JSONBody.response(try await state.store.renderJobs(creator: creator, limit: limit))
        }
        router.get("/v1/render/jobs/{id}") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let job = try await state.store.renderJob(id) else {
                throw NodeError.coded("unknown_job", "no render job \(id)")
            }
            let tasks = try await state.store.renderTasks(job: id)
            let results = try await state.store.renderResults(job: id)
            return try JSONBody.response(
                JobView(
                    job: job, progressPercent: job.progressPercent, tasks: tasks, results: results))
        }
        router.get("/v1/render/nodes") { request, _ in
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 500)
            return try JSONBody.response(try await state.store.renderNodes(limit: limit))
        }
        router.get("/v1/render/nodes/{id}") { _, context in
            let address = try LedgerRoutes.address(context.parameters.get("id") ?? "")
            guard let node = try await state.store.renderNode(address.publicKey) else {
                throw NodeError.coded("not_benchmarked", "\(address) has not reported a render benchmark")
            }
            return try JSONBody.response(node)
        }
        router.get("/v1/render/nodes/{id}/checks") { request, context in
            let address = try LedgerRoutes.address(context.parameters.get("id") ?? "")
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 500)
            return try JSONBody.response(try await state.store.renderBenchmarkChecks(device: address.publicKey, limit: limit))
        }
    }

    struct Reference: Encodable {
        var sceneSha256: String
        var pinnedBy: String
    }

    private func policy(_ parameters: RenderParameters) -> RenderLeasePolicy {
        RenderLeasePolicy(
            leaseMs: parameters.leaseSeconds * 1000, minReputation: parameters.minReputation,
            expiryPenalty: parameters.expiryPenalty, rejectPenalty: parameters.rejectPenalty,
            preferenceMs: parameters.preferenceSeconds * 1000)
    }

    /// The current epoch's sampling seed (see RenderSampling).
    private func epochSeed() -> Data {
        let epoch = state.genesis.epochs.epoch(ofMs: state.clock.nowMs())
        return RenderSampling.seed(
            epoch: epoch, startMs: state.genesis.epochs.startMs(of: epoch), oracle: state.oracleKey, genesisHash: state.genesisHash)
    }

    /// A benchmark check answered: the picture is compared with the node's benchmark and the
    /// time from lease to answer with its claim (`BenchmarkCheck`).
    private func answer(_ report: Report, _ benchmark: Core.RenderBenchmark, _ parameters: RenderParameters) async throws -> Response {
        let device = try PublicKey(rawRepresentation: report.device)
        guard let node = try await state.store.renderNode(device) else {
            throw NodeError.coded("not_benchmarked", "the node has not reported its benchmark yet")
        }
        guard let seed = node.checkSeed, let askedMs = node.checkAskedMs, UInt64(seed) == benchmark.checkSeed else {
            throw NodeError.coded("no_benchmark_check", "\(device.address) holds no benchmark check with seed \(benchmark.checkSeed)")
        }
        guard let png = state.content.get(benchmark.outputSha256) else {
            throw NodeError.coded("frame_not_uploaded", "upload the check's frame to /v1/content first")
        }
        let picture: PNGImage
        do { picture = try PNGImage(png: png) } catch {
            throw NodeError.coded("frame_not_png", "the uploaded frame is not a readable PNG: \(error)")
        }
        _ = try await ingest(report)
        let reference = node.output.flatMap { state.content.get($0) }.flatMap { try? PNGImage(png: $0) }
        let check = BenchmarkCheck(parameters: parameters).judge(
            node: node, seed: seed, askedMs: askedMs, answeredMs: state.clock.nowMs(),
            reportedMs: Int64(min(benchmark.renderMs, UInt64(Int64.max))), output: benchmark.outputSha256, picture: picture,
            benchmark: reference)
        _ = try await stored { try await state.store.recordRenderBenchmarkCheck(check) }
        return try JSONBody.response(check)
    }

    /// What a returned frame means: a first render is drawn for verification (seeded by the
    /// epoch's entropy); a verifying or tie-breaking render is compared, by decoded pixels, with
    /// the renders before it.
    private func check(_ task: RenderTask, image: PNGImage, parameters: RenderParameters) async throws -> RenderCheck {
        if task.state == "leased" {
            let sampled = RenderSampling.isSampled(seed: epochSeed(), job: task.job, frame: task.frame, percent: parameters.verifyPercent)
            return sampled ? .sampled : .unsampled
        }
        let earlier = try await state.store.renderResults(job: task.job, frame: task.frame).filter { $0.verdict == "pending" }
        let render = earlier.last { $0.role == "render" }
        let matchesRender = matches(image, render, threshold: parameters.matchPSNR)
        if task.state == "checking" { return .verified(matches: matchesRender) }
        let verify = earlier.last { $0.role == "verify" }
        return .tiebreak(matchesRender: matchesRender, matchesVerify: matches(image, verify, threshold: parameters.matchPSNR))
    }

    /// Whether `image` and the stored image of `result` are the same render, by PSNR.
    private func matches(_ image: PNGImage, _ result: RenderResult?, threshold: Double) -> Bool {
        guard let result, let data = state.content.get(result.output), let other = try? PNGImage(png: data),
            let psnr = try? FrameComparison.psnr(image, other)
        else { return false }
        return psnr >= threshold
    }

    private func rendering() throws -> RenderService {
        guard let service = state.rendering else {
            throw NodeError.coded("no_rendering_service", "this network runs no rendering service")
        }
        return service
    }

    private func signedReport(_ request: Request) async throws -> Report {
        try await WireBody.decode(
            Report.self, from: request, limit: state.configuration.maxBodyBytes, malformedCode: "malformed_report")
    }

    /// Verifies and logs the report (signature, registry, kind, nonce, window, the service's
    /// rules) and returns its device; a rejection is the answer.
    private func ingest(_ report: Report) async throws -> PublicKey {
        _ = try await ReportRoutes(state: state).accept(report)
        return try PublicKey(rawRepresentation: report.device)
    }

    /// Runs a store call, answering the market's refusals with their codes.
    private func stored<T>(_ call: () async throws -> T) async throws -> T {
        do { return try await call() } catch let error as StoreError {
            throw NodeError.coded(error.code.rawValue, error.message)
        }
    }
}
