import Core
import Foundation
import Hummingbird
import Prometheus
import Store

extension NodeState {
    /// Charges `account` one signed request; over its rate, a 429 with Retry-After. Call it once
    /// the request's signature has verified, so that no one spends another account's budget.
    func throttle(account: Address) throws {
        guard let wait = accountRate.take(account.description).retryAfter else { return }
        metrics.rateLimited.increment()
        throw NodeError.rateLimited(
            "\(account) sends more than \(accountRate.limit?.description ?? "its limit") signed requests", retryAfter: wait)
    }

    /// Charges each device for its verified reports, in batch order: those past a device's budget
    /// are refused (`rate_limited`) and left out. Returns the rest, their positions, and the
    /// longest wait among the refused.
    func throttle(
        _ verified: [VerifiedReport], positions: [Int], verdicts: inout [ReportVerdict?]
    ) -> (verified: [VerifiedReport], positions: [Int], retryAfter: Duration?) {
        guard deviceRate.limit != nil else { return (verified, positions, nil) }
        var wanted: [PublicKey: Int] = [:]
        wanted.reserveCapacity(verified.count)
        for report in verified { wanted[report.device, default: 0] += 1 }
        let grants = deviceRate.take(wanted.lazy.map { ($0.key, $0.value) })
        let retryAfter = grants.compactMap(\.retryAfter).max()
        guard let retryAfter else { return (verified, positions, nil) }
        var allowed: [PublicKey: Int] = [:]
        for ((device, _), grant) in zip(wanted, grants) { allowed[device] = grant.granted }
        var kept: [VerifiedReport] = []
        var keptPositions: [Int] = []
        var refused = 0
        for (report, position) in zip(verified, positions) {
            if allowed[report.device, default: 0] > 0 {
                allowed[report.device]! -= 1
                kept.append(report)
                keptPositions.append(position)
            } else {
                refused += 1
                verdicts[position] = .rejected(
                    code: "rate_limited",
                    message: "device \(report.device) sends more than \(deviceRate.limit!.description) reports; retry later")
            }
        }
        metrics.rateLimited.increment(by: Int64(refused))
        return (kept, keptPositions, retryAfter)
    }
}

extension NodeError {
    /// 429 Too Many Requests, with Retry-After in whole seconds (at least one).
    static func rateLimited(_ message: String, retryAfter: Duration) -> NodeError {
        var error = NodeError(.tooManyRequests, "rate_limited", message)
        error.headers[.retryAfter] = RetryAfter.seconds(retryAfter)
        return error
    }
}

/// The Retry-After header's value.
enum RetryAfter {
    /// Whole seconds, rounded up, at least one.
    static func seconds(_ wait: Duration) -> String {
        let (seconds, attoseconds) = wait.components
        return String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
    }
}
