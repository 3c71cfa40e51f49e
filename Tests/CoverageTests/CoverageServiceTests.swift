import Core
import Coverage
import Foundation
import Geo
import Ledger
import Rewards
import Testing

@Suite struct CoverageServiceTests {
    static func genesis(_ parameters: String = "") throws -> Genesis {
        let oracle = SigningKey().address
        let treasury = SigningKey().address
        return try Genesis(
            toml: """
                [token]
                name = "Helium-like"
                symbol = "HNT"
                decimals = 6
                supply_cap = "1000000000000000"
                [emission]
                per_epoch = "1000000000"
                [epochs]
                length_seconds = 3600
                start = "2027-01-15T00:00:00Z"
                [credits]
                per_token = "100000"
                [services.coverage]
                weight = 100
                kinds = ["hotspot"]
                \(parameters)
                [treasury]
                weight = 0
                account = "\(treasury)"
                [oracles]
                keys = ["\(oracle)"]
                quorum = 1
                [makers]
                keys = []
                """)
    }

    @Test func readsItsParametersAndRefusesUnknownOnesByLine() throws {
        let genesis = try Self.genesis("max_witnesses = 5\nmin_witness_distance_m = 250.5\ndensity = [[10, 2, 1, 1], [8, 2, 1, 4]]")
        let service = try CoverageService(service: genesis.services[0], genesis: genesis)
        #expect(service.parameters.maxWitnesses == 5)
        #expect(service.parameters.minWitnessDistanceM == 250.5)
        #expect(service.parameters.density.map(\.resolution) == [10, 8])
        let bad = try Self.genesis("max_witneses = 5")
        #expect {
            try CoverageService(service: bad.services[0], genesis: bad)
        } throws: { error in
            (error as? GenesisError)?.line == 16 && "\(error)".contains("max_witneses")
        }
        let unordered = try Self.genesis("density = [[8, 2, 1, 4], [10, 2, 1, 1]]")
        #expect(throws: GenesisError.self) { try CoverageService(service: unordered.services[0], genesis: unordered) }
    }

    @Test func densityScalesACrowdedCell() throws {
        let crowd = try H3Cell(latitude: 37.77, longitude: -122.42, resolution: 12)
        let alone = try H3Cell(latitude: 37.80, longitude: -122.30, resolution: 12)
        let density = HexDensity(
            cells: [0: crowd, 1: crowd, 2: crowd, 3: alone], rules: CoverageParameters.helium17, baseResolution: 11)
        #expect(density.scales[0] == 3_333)
        #expect(density.scales[2] == 3_333)
        #expect(density.scales[3] == 10_000)
    }

    @Test func paidPacketsCountUpToWhatThePacketReportsClaim() throws {
        let genesis = try Self.genesis()
        let service = try CoverageService(service: genesis.services[0], genesis: genesis)
        var fixture = CoverageFixture()
        let carrier = fixture.hotspot()
        let idle = fixture.hotspot(metresNorth: 2_000)
        var packets = PacketReport()
        packets.router = SigningKey().address.description
        packets.packets = 4
        packets.payloadBytes = 100  // 5 blocks of 24 bytes
        packets.reference = "session-1"
        fixture.send(.packets(packets), by: carrier, at: CoverageFixture.start + 1_000)
        let epoch = fixture.epoch
        let paid = [carrier.address.description: Amount(3), idle.address.description: Amount(9)]
        let confirmed = service.confirmedUsage(epoch, paid: paid)
        #expect(confirmed[carrier.address.description] == Amount(3))
        #expect(confirmed[idle.address.description] == Amount.zero)
        let overpaid = service.confirmedUsage(epoch, paid: [carrier.address.description: Amount(50)])
        #expect(overpaid[carrier.address.description] == Amount(5))
        #expect(service.validate(fixture.reports[carrier.address]![0], kind: .hotspot) == nil)
        packets.router = "nobody"
        var bad = Report()
        bad.packets = packets
        #expect(service.validate(bad, kind: .hotspot) == "router_invalid")
    }

    @Test func usageEarnsAtMostItsBurnValueAndTheRestGoesToCoverage() throws {
        // 1,000 tokens of emission; half for usage; 100,000 credits per token, so 1,000
        // credits are worth 0.01 token: the usage part is capped there.
        let genesis = try Self.genesis("usage_share_percent = 50\nusage_capped_at_burn_value = true")
        var fixture = CoverageFixture()
        fixture.parameters = try CoverageParameters(service: genesis.services[0])
        let beaconer = fixture.hotspot()
        let witness = fixture.hotspot(metresNorth: 1_000)
        let time = CoverageFixture.start + 10_000
        let beacon = fixture.beacon(by: beaconer, at: time)
        fixture.witness(beacon, from: beaconer, by: witness, receivedMs: time + 500)
        var packets = PacketReport()
        packets.router = SigningKey().address.description
        packets.packets = 1
        packets.payloadBytes = 24_000
        fixture.send(.packets(packets), by: witness, at: time + 2_000)
        var oracleGenesis = genesis
        oracleGenesis.oracles = [fixture.oracle.publicKey]
        let engine = EpochEngine(
            genesis: oracleGenesis,
            services: ["coverage": try CoverageService(service: oracleGenesis.services[0], genesis: oracleGenesis)])
        let reports = fixture.reports.values.flatMap { $0 }.sorted { $0.timestampMs < $1.timestampMs }
        let input = EpochInput(
            epoch: 0, startMs: CoverageFixture.start, endMs: CoverageFixture.start + 3_600_000, devices: fixture.devices,
            reports: reports.enumerated().map { .init(id: Int64($0.offset), bytes: $0.element.canonicalBytes.hexString) },
            usage: [witness.address.description: Amount(1_000)], emittedBefore: .zero)
        let result = engine.close(input)
        let total = result.devices.reduce(Amount.zero) { try! $0.adding($1.amount) }
        #expect(total == Amount(1_000_000_000))
        // The witness's usage part is exactly 1,000 credits' burn value: 10,000 base units.
        let carrierReward = try #require(result.devices.first { $0.device == witness.address })
        #expect(carrierReward.usageCredits == Amount(1_000))
        let beaconerReward = try #require(result.devices.first { $0.device == beaconer.address })
        #expect(try beaconerReward.amount.adding(carrierReward.amount) == Amount(1_000_000_000))
        #expect(carrierReward.amount > Amount(10_000))
    }
}
