import Core
import Foundation
import Ledger
import Simulation

/// Genesis files and scenarios the simulator's tests share.
enum SimulationFixtures {
    /// Runs `body` on a Dispatch thread: a simulation is seconds of CPU, and on the Swift
    /// concurrency pool (two threads on a two-core machine) it would starve the node and
    /// integration tests that run beside it.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    static let treasury = try! SigningKey(seed: Data(repeating: 7, count: 32)).address

    /// A network of daily epochs (6 decimals) with the given services, emission and cap, in whole tokens.
    static func genesis(
        services: [Genesis.Service], perEpochTokens: UInt128 = 10_000, capTokens: UInt128 = 1_000_000_000,
        allocatedTokens: UInt128 = 1_000_000, treasuryWeight: Int = 10
    ) -> Genesis {
        let scale: UInt128 = 1_000_000
        return Genesis(
            token: .init(name: "Simulated", symbol: "SIM", decimals: 6, supplyCap: Amount(capTokens * scale)),
            emission: .init(perEpoch: Amount(perEpochTokens * scale), decay: .none),
            epochs: .init(lengthSeconds: 86_400, startTime: 1_767_225_600),
            creditsPerToken: Amount(100_000), services: services,
            treasury: .init(weight: treasuryWeight, account: treasury, emptyPools: .treasury),
            reports: .init(maxFutureSeconds: 300, maxAgeSeconds: 259_200), oracles: [], quorum: 1, makers: [],
            allocations: allocatedTokens == 0 ? [] : [.init(account: treasury, amount: Amount(allocatedTokens * scale))])
    }

    static func service(_ name: String, weight: Int, _ kinds: [DeviceKind], usagePercent: Int64? = nil) -> Genesis.Service {
        var parameters = TOMLTable()
        if let usagePercent { parameters["usage_share_percent"] = .init(value: .integer(usagePercent), line: 0) }
        return Genesis.Service(name: name, weight: weight, kinds: kinds, parameters: parameters)
    }

    /// Vehicles and meters under the telemetry module, and hotspots paid by uptime.
    static var mixed: Genesis {
        genesis(services: [
            service("telemetry", weight: 50, [.vehicle, .meter], usagePercent: 30),
            service("connectivity", weight: 40, [.hotspot], usagePercent: 50),
        ])
    }

    /// A scenario in TOML, with the fleets given as `[kinds.…]` tables.
    static func scenario(epochs: Int, fleets: String, extra: String = "") throws -> Scenario {
        try Scenario(
            toml: """
                [simulation]
                epochs = \(epochs)
                seed = 7
                tiers = 3

                [price]
                initial_usd = 1.0
                volatility_per_year = 0.8
                market_depth_usd = 500000

                \(extra)

                \(fleets)
                """)
    }
}
