@testable import Node
import Synchronization
import Testing

@Suite struct RateLimiterTests {
    /// A monotonic clock the test moves.
    final class Hands: Sendable {
        let start = ContinuousClock.now
        let offset = Mutex(Duration.zero)
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    @Test func aBucketGrantsItsBurstThenRefillsAtItsRate() {
        let hands = Hands()
        let limiter = RateLimiter<String>(RateLimit(perMinute: 60, burst: 3)) { hands.now }
        #expect(limiter.take("a", units: 2) == .init(granted: 2, retryAfter: nil))
        let over = limiter.take("a", units: 2)
        #expect(over.granted == 1)
        #expect(over.retryAfter == .seconds(1))
        // Another sender has a bucket of its own.
        #expect(limiter.take("b", units: 3).retryAfter == nil)
        hands.advance(.milliseconds(2_500))
        #expect(limiter.take("a", units: 5).granted == 2)
        hands.advance(.seconds(600))
        #expect(limiter.take("a", units: 5) == .init(granted: 3, retryAfter: .seconds(1)))
    }

    @Test func aBatchChargesEachSenderAsOneTakeEachWould() {
        let hands = Hands()
        let limiter = RateLimiter<String>(RateLimit(perMinute: 60, burst: 3)) { hands.now }
        #expect(limiter.take("a", units: 2).retryAfter == nil)
        let grants = limiter.take([("a", 2), ("b", 5), ("c", 0), ("d", 3)])
        #expect(grants.map(\.granted) == [1, 3, 0, 3])
        #expect(grants.map(\.retryAfter) == [.seconds(1), .seconds(1), nil, nil])
        #expect(limiter.count == 3)
        hands.advance(.seconds(2))
        #expect(limiter.take([("a", 3), ("b", 1)]).map(\.granted) == [2, 1])
    }

    @Test func theWaitIsUntilTheNextWholeToken() {
        let hands = Hands()
        let limiter = RateLimiter<String>(RateLimit(perMinute: 6, burst: 1)) { hands.now }
        #expect(limiter.take("a").retryAfter == nil)
        hands.advance(.seconds(4))
        #expect(limiter.take("a").retryAfter == .seconds(6))
    }

    @Test func noLimitGrantsEverything() {
        let limiter = RateLimiter<String>(nil)
        #expect(limiter.take("a", units: 1_000_000) == .init(granted: 1_000_000, retryAfter: nil))
        #expect(limiter.count == 0)
    }

    @Test func refilledBucketsAreForgottenWhenTheTableGrows() {
        let hands = Hands()
        let limiter = RateLimiter<String>(RateLimit(perMinute: 60, burst: 10), sweepAbove: 100) { hands.now }
        for index in 0..<100 { _ = limiter.take("old \(index)") }
        #expect(limiter.count == 100)
        hands.advance(.seconds(11))
        _ = limiter.take("new")
        #expect(limiter.count == 1)
        // A forgotten sender starts again with a full bucket, as it would have had anyway.
        #expect(limiter.take("old 0", units: 10).retryAfter == nil)
    }

    @Test func whileEveryBucketIsStillDrainingTheNextSweepWaitsForTheTableToDouble() {
        let hands = Hands()
        let limiter = RateLimiter<String>(RateLimit(perMinute: 60, burst: 10), sweepAbove: 10) { hands.now }
        for index in 0..<25 { _ = limiter.take("sender \(index)") }
        // A sweep at 10 found nothing to forget, so the next is at 20, which finds nothing too.
        #expect(limiter.count == 25)
        hands.advance(.seconds(11))
        for index in 25..<41 { _ = limiter.take("sender \(index)") }
        // The sweep at 40 (when sender 40 comes) forgets the 25 refilled buckets; the 15 newer
        // ones stay, and sender 40 joins them.
        #expect(limiter.count == 16)
    }

    @Test(arguments: [
        ("600/min,2000", RateLimit(perMinute: 600, burst: 2_000)), ("30/min", RateLimit(perMinute: 30, burst: 30)),
        (" 5/min , 7 ", RateLimit(perMinute: 5, burst: 7)),
    ])
    func parsesALimit(text: String, limit: RateLimit) {
        #expect(RateLimit(parsing: text) == limit)
    }

    @Test(arguments: ["", "600", "600/s", "0/min", "-1/min", "10/min,0", "10/min,x", "off"])
    func refusesANonsenseLimit(text: String) {
        #expect(RateLimit(parsing: text) == nil)
    }

    @Test func retryAfterRoundsUpToWholeSeconds() {
        #expect(RetryAfter.seconds(.milliseconds(1)) == "1")
        #expect(RetryAfter.seconds(.seconds(2)) == "2")
        #expect(RetryAfter.seconds(.milliseconds(2_001)) == "3")
        #expect(RetryAfter.seconds(.zero) == "1")
    }
}
