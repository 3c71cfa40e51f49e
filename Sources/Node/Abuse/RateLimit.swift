import Foundation

/// How fast one sender may go: a sustained rate and a burst (a token bucket's refill and size).
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Requests (or reports) a minute, sustained.
    public var perMinute: Int
    /// How many may come at once after a quiet spell.
    public var burst: Int

    /// A limit of `perMinute` sustained with bursts of `burst`.
    public init(perMinute: Int, burst: Int) {
        self.perMinute = perMinute
        self.burst = burst
    }

    /// "120/min, burst 1000", for logs.
    public var description: String { "\(perMinute)/min, burst \(burst)" }

    /// Parses "RATE/min" or "RATE/min,BURST" (the burst defaults to one minute's worth).
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let rate = parts.first, rate.hasSuffix("/min"), let perMinute = Int(rate.dropLast(4)), perMinute > 0
        else { return nil }
        let burst = parts.count == 2 ? Int(parts[1]) : perMinute
        guard let burst, burst > 0 else { return nil }
        self.init(perMinute: perMinute, burst: burst)
    }
}
