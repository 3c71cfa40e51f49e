import NIOConcurrencyHelpers

/// Token buckets by sender (a device's key, an account's address text): each refills at its limit's
/// rate up to its burst, and a request takes a token a unit. Measured on the monotonic clock,
/// not the node's (which may be simulated). Memory stays bounded: buckets that have refilled are
/// forgotten when the table grows.
public final class RateLimiter<Sender: Hashable & Sendable>: Sendable {
    /// What a take got: how many units were granted, and when the rest could come.
    public struct Grant: Sendable, Equatable {
        /// Units granted, at most those asked for.
        public var granted: Int
        /// When every unit was granted, nil; otherwise how long until one more would be.
        public var retryAfter: Duration?
    }

    struct Bucket {
        var tokens: Double
        var at: ContinuousClock.Instant
    }

    /// The buckets, and the table size at which the next sweep runs.
    struct Table {
        var buckets: [Sender: Bucket] = [:]
        var sweepAt: Int
    }

    /// The limit, nil when there is none.
    public let limit: RateLimit?
    /// The table size past which refilled buckets are swept.
    let sweepAbove: Int
    private let table: NIOLockedValueBox<Table>
    private let clock: @Sendable () -> ContinuousClock.Instant

    /// Buckets under `limit` (nil: unlimited), read against `clock`.
    public init(
        _ limit: RateLimit?, sweepAbove: Int = 100_000,
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.limit = limit
        self.sweepAbove = sweepAbove
        self.clock = clock
        table = NIOLockedValueBox(Table(sweepAt: sweepAbove))
    }

    /// How many buckets are kept.
    var count: Int { table.withLockedValue { $0.buckets.count } }

    /// Takes up to `units` tokens from `sender`'s bucket.
    public func take(_ sender: Sender, units: Int = 1) -> Grant {
        take([(sender, units)])[0]
    }

    /// Takes up to `units` tokens from each `sender`'s bucket, in order, under one lock and one
    /// reading of the clock (a batch of reports charges hundreds of devices at once). A sender
    /// should be named once.
    public func take(_ demands: some Collection<(Sender, Int)>) -> [Grant] {
        guard let limit else { return demands.map { Grant(granted: $0.1, retryAfter: nil) } }
        let now = clock()
        return table.withLockedValue { table in
            var grants: [Grant] = []
            grants.reserveCapacity(demands.count)
            for (sender, units) in demands {
                guard units > 0 else {
                    grants.append(Grant(granted: units, retryAfter: nil))
                    continue
                }
                // One hash for a sender the table holds: its bucket changed where it lies.
                if let index = table.buckets.index(forKey: sender) {
                    grants.append(Self.grant(units, from: &table.buckets.values[index], limit: limit, now: now))
                    continue
                }
                if table.buckets.count >= table.sweepAt {
                    Self.sweep(&table.buckets, limit: limit, now: now)
                    // When most buckets are still draining (many senders at once), the next sweep
                    // waits until the table has doubled, so sweeps stay a small share of the work.
                    table.sweepAt = max(sweepAbove, table.buckets.count * 2)
                }
                var bucket = Bucket(tokens: Double(limit.burst), at: now)
                grants.append(Self.grant(units, from: &bucket, limit: limit, now: now))
                table.buckets[sender] = bucket
            }
            return grants
        }
    }

    /// Refills `bucket` to `now` and takes up to `units` tokens from it.
    private static func grant(_ units: Int, from bucket: inout Bucket, limit: RateLimit, now: ContinuousClock.Instant) -> Grant {
        let perSecond = Double(limit.perMinute) / 60
        let elapsed = bucket.at.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        bucket.tokens = min(Double(limit.burst), bucket.tokens + seconds * perSecond)
        bucket.at = now
        let granted = min(units, Int(bucket.tokens.rounded(.down)))
        bucket.tokens -= Double(granted)
        guard granted < units else { return Grant(granted: granted, retryAfter: nil) }
        let wait = (1 - bucket.tokens) / perSecond
        return Grant(granted: granted, retryAfter: .nanoseconds(Int64((wait * 1e9).rounded(.up))))
    }

    /// Forgets the buckets that would be full by now (a new one starts full, so nothing changes).
    private static func sweep(_ buckets: inout [Sender: Bucket], limit: RateLimit, now: ContinuousClock.Instant) {
        let refill = Duration.seconds(Double(limit.burst) * 60 / Double(limit.perMinute))
        buckets = buckets.filter { $0.value.at.duration(to: now) < refill }
    }
}
