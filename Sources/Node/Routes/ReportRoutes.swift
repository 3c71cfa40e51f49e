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
            let id = try await accept(report)
            return try JSONBody.response(ReportResultView(index: 0, status: "accepted", id: id), status: .accepted)
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
            let (verdicts, retryAfter) = try await ingest(batch.reports)
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
            let limited = results.filter { $0.error == "rate_limited" }.count
            if let retryAfter, limited == results.count {
                throw NodeError.rateLimited(
                    "every report of the batch is over its device's rate; retry later", retryAfter: retryAfter)
            }
            var response = JSONBody.response(
                json: BatchResultView(accepted: accepted, rejected: verdicts.count - accepted, results: results).json())
            if let retryAfter, limited > 0 { response.headers[.retryAfter] = RetryAfter.seconds(retryAfter) }
            return response
        }
    }

    /// Ingests one report and returns its log position; a rejection is thrown as the answer
    /// (429 with Retry-After when its device is over its rate).
    func accept(_ report: Report) async throws -> Int64 {
        let (verdicts, retryAfter) = try await ingest([report])
        switch verdicts[0] {
        case .accepted(let id): return id
        case .rejected(let code, let message):
            if let retryAfter, code == "rate_limited" { throw NodeError.rateLimited(message, retryAfter: retryAfter) }
            throw NodeError.coded(code, message)
        }
    }

    /// Verifies each report, charges each device for its own (see `throttle`), stores the good
    /// ones durably (in one transaction, shared with the batches that arrive meanwhile), and
    /// returns a verdict per report in order, and when some were over a device's rate, how long
    /// until one more would not be.
    func ingest(_ reports: [Report]) async throws -> (verdicts: [ReportVerdict], retryAfter: Duration?) {
        let now = state.clock.nowMs()
        var verdicts = [ReportVerdict?](repeating: nil, count: reports.count)
        var verified: [VerifiedReport] = []
        var positions: [Int] = []
        let checked = try await SignatureVerifier.shared.verify(
            reports, admission: state.admission, nowMs: now, niceness: state.configuration.verifyNiceness)
        for (index, result) in checked.enumerated() {
            switch result {
            case .success(let good):
                verified.append(good)
                positions.append(index)
            case .failure(let error):
                verdicts[index] = .rejected(code: error.code, message: error.message)
            }
        }
        let retryAfter: Duration?
        (verified, positions, retryAfter) = state.throttle(verified, positions: positions, verdicts: &verdicts)
        if !verified.isEmpty {
            let stored = try await state.reports.append(
                verified, allowedKinds: state.admission.allowedKinds, nowMs: now)
            for (position, verdict) in zip(positions, stored) { verdicts[position] = verdict }
        }
        let final = verdicts.map { $0! }
        let accepted = final.filter { if case .accepted = $0 { true } else { false } }.count
        state.metrics.reportsAccepted.increment(by: Int64(accepted))
        state.metrics.reportsRejected.increment(by: Int64(final.count - accepted))
        return (final, retryAfter)
    }
}
