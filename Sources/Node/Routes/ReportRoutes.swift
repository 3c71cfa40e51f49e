import Core
import Hummingbird
import Rewards
import Logging
import Prometheus
import Store

/// `POST /v1/reports` (one report) and `POST /v1/reports/batch` (a `ReportBatch`).
struct ReportRoutes {
    let state: NodeState

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/reports") { request, _ in
            let report = try await WireBody.decode(
                Report.self, from: request, limit: state.configuration.maxBodyBytes, malformedCode: "malformed_report")
            let verdict = try await ingest([report])[0]
            switch verdict {
            case .accepted(let id):
                return try JSONBody.response(ReportResultView(index: 0, status: "accepted", id: id), status: .accepted)
            case .rejected(let code, let message):
                throw NodeError.coded(code, message)
            }
        }
        router.post("/v1/reports/batch") { request, _ in
            let batch = try await WireBody.decode(
                ReportBatch.self, from: request, limit: state.configuration.maxBodyBytes,
                malformedCode: "malformed_report")
            guard !batch.reports.isEmpty else { throw NodeError.coded("empty_batch", "the batch holds no reports") }
            guard batch.reports.count <= state.configuration.maxBatchReports else {
                throw NodeError.coded(
                    "batch_too_large", "a batch holds at most \(state.configuration.maxBatchReports) reports")
            }
            let verdicts = try await ingest(batch.reports)
            var results: [ReportResultView] = []
            var accepted = 0
            for (index, verdict) in verdicts.enumerated() {
                switch verdict {
                case .accepted(let id):
                    accepted += 1
                    results.append(ReportResultView(index: index, status: "accepted", id: id))
                case .rejected(let code, let message):
                    results.append(ReportResultView(index: index, status: "rejected", error: code, message: message))
                }
            }
            return try JSONBody.response(
                BatchResultView(accepted: accepted, rejected: verdicts.count - accepted, results: results))
        }
    }

    /// Verifies each report, stores the good ones in one durable transaction, and returns a
    /// verdict per report in order.
    func ingest(_ reports: [Report]) async throws -> [ReportVerdict] {
        let now = state.clock.nowMs()
        var verdicts = [ReportVerdict?](repeating: nil, count: reports.count)
        var verified: [VerifiedReport] = []
        var positions: [Int] = []
        for (index, report) in reports.enumerated() {
            // A signature is about 0.1 ms of CPU: a large batch yields now and then, so that the
            // reads queued behind it on the same threads are not held for the whole batch.
            if index % 8 == 7 { await Task.yield() }
            switch state.admission.verify(report, nowMs: now) {
            case .success(let good):
                verified.append(good)
                positions.append(index)
            case .failure(let error):
                verdicts[index] = .rejected(code: error.code, message: error.message)
            }
        }
        if !verified.isEmpty {
            let engine = state.engine
            let stored = try await state.store.appendReports(
                verified, allowedKinds: state.admission.allowedKinds, validate: { engine.validate($0, kind: $1) },
                nowMs: now)
            for (position, verdict) in zip(positions, stored) { verdicts[position] = verdict }
        }
        let final = verdicts.map { $0! }
        let accepted = final.filter { if case .accepted = $0 { true } else { false } }.count
        state.metrics.reportsAccepted.increment(by: Int64(accepted))
        state.metrics.reportsRejected.increment(by: Int64(final.count - accepted))
        return final
    }
}
