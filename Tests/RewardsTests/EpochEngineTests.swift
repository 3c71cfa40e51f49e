import Core
import Foundation
import Ledger
import PropertyBased
import Rewards
import Testing

@Suite struct EpochEngineTests {
    let treasury = SigningKey().address
    let settlement = SigningKey().address

    func genesis(empty: Genesis.EmptyPoolPolicy = .treasury, perEpoch: UInt128 = 1_000_003) -> Genesis {
        Genesis(
            token: .init(name: "T", symbol: "TT", decimals: 6, supplyCap: Amount(1_000_000_000_000)),
            emission: .init(perEpoch: Amount(perEpoch), decay: .none),
            epochs: .init(lengthSeconds: 3_600, startTime: 0),
            creditsPerToken: Amount(1),
            services: [
                .init(name: "coverage", weight: 60, kinds: [.hotspot], parameters: TOMLTable()),
                .init(name: "telemetry", weight: 30, kinds: [.vehicle, .meter], parameters: TOMLTable()),
            ],
            treasury: .init(weight: 10, account: treasury, emptyPools: empty, settlementAccount: settlement),
            reports: .init(maxFutureSeconds: 1, maxAgeSeconds: 1), oracles: [SigningKey().publicKey], quorum: 1,
            makers: [], allocations: [])
    }

    struct Fleet {
        var devices: [EpochInput.Device] = []
        var reports: [EpochInput.LoggedReport] = []
        var keys: [SigningKey] = []

        mutating func add(kind: DeviceKind, heartbeatsAt times: [Int64], payout: EVMAddress? = nil) -> SigningKey {
            let key = SigningKey()
            keys.append(key)
            devices.append(.init(id: key.address, kind: kind.name, owner: SigningKey().address, payout: payout))
            for (index, time) in times.enumerated() {
                var report = Report()
                report.nonce = UInt64(index + 1)
                report.timestampMs = time
                report.heartbeat.uptimeS = 1
                report.sign(with: key)
                reports.append(.init(id: Int64(reports.count + 1), bytes: report.canonicalBytes.hexString))
            }
            return key
        }

        func input(epoch: Int64 = 0, carried: [String: Amount] = [:], previous: [String: Amount] = [:]) -> EpochInput {
            EpochInput(
                epoch: epoch, startMs: epoch * 3_600_000, endMs: (epoch + 1) * 3_600_000,
                devices: devices.sorted { $0.id < $1.id }, reports: reports, emittedBefore: .zero, carried: carried,
                previousCumulative: previous)
        }
    }

    @Test func paysByUptimeAndExplainsWhy() throws {
        var fleet = Fleet()
        let steady = fleet.add(kind: .hotspot, heartbeatsAt: stride(from: 0, to: 3_600_000, by: 300_000).map { $0 })
        let spammy = fleet.add(kind: .hotspot, heartbeatsAt: [0, 1_000, 2_000, 300_000])
        let meter = fleet.add(kind: .meter, heartbeatsAt: [10_000])
        let result = EpochEngine(genesis: genesis()).close(fleet.input())
        let steadyReward = try #require(result.reward(of: steady.address))
        let spammyReward = try #require(result.reward(of: spammy.address))
        #expect(steadyReward.counted == 12)
        #expect(spammyReward.counted == 2)
        #expect(spammyReward.rejected == ["too_frequent": 2])
        // coverage pool: 60% of 1 000 003 = 600 001 (floor), split 12 : 2.
        #expect(result.pools[0].amount == Amount(600_001))
        #expect(steadyReward.amount == Amount(514_286))
        #expect(spammyReward.amount == Amount(85_714))
        #expect(result.reward(of: meter.address)?.amount == Amount(300_000))
        #expect(result.minted == result.emission)
        #expect(result.mints.reduce(UInt128(0)) { $0 + $1.amount.units } == 1_000_003)
    }

    @Test func anEmptyPoolGoesToTheTreasuryOrIsCarried() throws {
        var fleet = Fleet()
        _ = fleet.add(kind: .hotspot, heartbeatsAt: [0])
        let toTreasury = EpochEngine(genesis: genesis(empty: .treasury)).close(fleet.input())
        #expect(toTreasury.pools[1].toTreasury == Amount(300_000))
        #expect(toTreasury.minted == toTreasury.emission)
        let carried = EpochEngine(genesis: genesis(empty: .carry)).close(fleet.input())
        #expect(carried.carryForward == ["telemetry": Amount(300_000)])
        #expect(carried.minted.units == carried.emission.units - 300_000)
        let next = EpochEngine(genesis: genesis(empty: .carry)).close(fleet.input(epoch: 0, carried: carried.carryForward))
        #expect(next.pools[1].amount == Amount(600_000))
    }

    @Test func settledRewardsAccumulateInTheManifest() throws {
        var fleet = Fleet()
        let payout = try EVMAddress(parsing: "0x00000000000000000000000000000000000000aa")
        _ = fleet.add(kind: .hotspot, heartbeatsAt: [0], payout: payout)
        let first = EpochEngine(genesis: genesis()).close(fleet.input())
        #expect(first.manifest == [.init(address: payout, cumulative: Amount(600_001))])
        #expect(first.mints.contains(.init(account: settlement, amount: Amount(600_001))))
        let previous = Dictionary(uniqueKeysWithValues: first.manifest.map { ($0.address.description, $0.cumulative) })
        let second = EpochEngine(genesis: genesis()).close(fleet.input(previous: previous))
        #expect(second.manifest.first?.cumulative == Amount(1_200_002))
        let leaf = StandardMerkleTree.Leaf(address: payout, amount: Amount(1_200_002))
        #expect(second.root == "0x" + StandardMerkleTree(leaves: [leaf]).root.hexString)
    }

    @Test func theSameInputGivesTheSameRoot() throws {
        var fleet = Fleet()
        for index in 0..<20 {
            _ = fleet.add(
                kind: index % 2 == 0 ? .hotspot : .vehicle, heartbeatsAt: [Int64(index) * 1000, 1_000_000],
                payout: try EVMAddress(bytes: Data(repeating: UInt8(index + 1), count: 20)))
        }
        let engine = EpochEngine(genesis: genesis())
        let a = engine.close(fleet.input())
        var shuffled = fleet.input()
        shuffled.reports.shuffle()
        let b = engine.close(shuffled)
        #expect(a == b)
        let decoded = try JSONDecoder().decode(EpochInput.self, from: JSONEncoder().encode(fleet.input()))
        #expect(engine.close(decoded).root == a.root)
        // Reports handed over already verified give the same result as signed ones checked.
        var verified: [Address: [Report]] = [:]
        for logged in fleet.input().reports.sorted(by: { $0.id < $1.id }) {
            let report = try Report(wireBytes: try #require(Data(hex: logged.bytes)))
            verified[try report.verifySignature().address, default: []].append(report)
        }
        var bare = fleet.input()
        bare.reports = []
        #expect(engine.close(bare, verified: verified) == a)
        // The node's own log, whose signatures were checked at ingest, closes to the same result.
        #expect(engine.closeAccepted(fleet.input()) == a)
        #expect(engine.closeAccepted(shuffled) == a)
    }

    @Test func mintedAlwaysEqualsEmissionPlusCarriedLessCarriedOut() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...8), Gen.int(in: 0...8)) {
            perEpoch, hotspots, meters in
            var fleet = Fleet()
            for index in 0..<hotspots { _ = fleet.add(kind: .hotspot, heartbeatsAt: [Int64(index) * 400_000]) }
            for index in 0..<meters { _ = fleet.add(kind: .meter, heartbeatsAt: [0, Int64(index + 1) * 200_000]) }
            let engine = EpochEngine(genesis: genesis(empty: .carry, perEpoch: UInt128(perEpoch)))
            let carriedIn: [String: Amount] = ["coverage": Amount(17), "telemetry": Amount(5)]
            let result = engine.close(fleet.input(carried: carriedIn))
            let carriedOut = result.carryForward.values.reduce(UInt128(0)) { $0 + $1.units }
            #expect(result.minted.units == result.emission.units + 22 - carriedOut)
            for pool in result.pools where pool.name != "treasury" {
                let paid = result.devices.filter { $0.service == pool.name }.reduce(UInt128(0)) { $0 + $1.amount.units }
                #expect(paid == pool.paid.units)
                #expect(pool.paid.units + pool.remainder.units + pool.carried.units + pool.toTreasury.units == pool.amount.units)
            }
        }
    }
}

extension EpochEngineTests {
    @Test func aUsageSharePaysTheDevicesCustomersPaid() throws {
        var genesis = genesis()
        var parameters = TOMLTable()
        parameters["usage_share_percent"] = .init(value: .integer(50), line: 0)
        genesis.services[0].parameters = parameters
        var fleet = Fleet()
        let busy = fleet.add(kind: .hotspot, heartbeatsAt: [0])
        let idle = fleet.add(kind: .hotspot, heartbeatsAt: [0])
        var input = fleet.input()
        input.usage = [busy.address.description: Amount(300)]
        let result = EpochEngine(genesis: genesis).close(input)
        // Coverage pool 600 001: half (300 000) by usage, all to the busy device; the rest by
        // output, split evenly (150 000 and 150 001 less the floor remainder).
        #expect(result.reward(of: busy.address)?.amount == Amount(450_000))
        #expect(result.reward(of: idle.address)?.amount == Amount(150_000))
        #expect(result.reward(of: busy.address)?.usageCredits == Amount(300))
        #expect(result.minted == result.emission)
    }
}
