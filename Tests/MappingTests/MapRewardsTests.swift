import Core
import Foundation
import Geo
import Ledger
import Mapping
import Rewards
import SwiftProtobuf
import Testing

/// Rewards across epochs: the map one epoch leaves is the next one's yardstick. Refreshing a
/// cell mapped yesterday adds little, a stale or new one earns in full, a region whose map is
/// fresh pays up to 3x (MIP-7), a bounty doubles its area and pays its mappers or is refunded,
/// and a driver's refused data lowers its reputation, which carries to later epochs.
@Suite struct MapRewardsTests {
    let day: Int64 = 86_400_000
    let start: Int64 = 1_795_000_000_000
    let owner = SigningKey().address

    func service() throws -> MappingService {
        try MappingService(service: Genesis.Service(name: "mapping", weight: 10, kinds: [.dashcam], parameters: TOMLTable(line: 1)))
    }

    /// One driver's one segment along `road`, driven from `ms`.
    func drive(_ key: SigningKey, _ road: [(Double, Double)], at ms: Int64, seed: String, nonce: UInt64 = 1) -> Report {
        var report = Report()
        report.timestampMs = ms + 400_000
        report.nonce = nonce
        report.body = .driveSegment(DriveFixture.segment(DriveFixture.drive(along: road, startMs: ms, seed: seed), id: UInt8(nonce)))
        report.sign(with: key)
        return report
    }

    func epoch(
        _ number: Int64, startMs: Int64, reports: KeyValuePairs<SigningKey, [Report]>, state: Data, refused: [Address: [String: Int]] = [:],
        bounties: [AreaBounty] = [], paid: [String: Amount] = [:]
    ) -> ServiceEpoch {
        ServiceEpoch(
            epoch: number, startMs: startMs, endMs: startMs + day,
            devices: reports.map { EpochInput.Device(id: $0.key.address, kind: "dashcam", owner: owner, payout: nil) }
                .sorted { $0.id < $1.id },
            reports: DeviceReports(Dictionary(uniqueKeysWithValues: reports.map { ($0.key.address, $0.value) })), paid: paid, state: state,
            refused: refused, bounties: bounties)
    }

    /// A score's per-cell multiplier, as a number.
    func perCell(_ score: ServiceScore?) -> Double { Double(score?.multiplier ?? "") ?? -1 }

    @Test func freshCellsAddLittleStaleOnesEarnInFullAndAFreshRegionPaysMore() throws {
        let mapping = try service()
        let (alice, bob, carol, dave) = (SigningKey(), SigningKey(), SigningKey(), SigningKey())
        let first = mapping.close(
            epoch(0, startMs: start, reports: [alice: [drive(alice, DriveFixture.marketStreet, at: start + 1_000, seed: "a")]], state: Data()))
        // A first map: every cell new, no region known, full reputation.
        #expect(first.scores[alice.address]?.multiplier == "1.000")
        let map = try MapState(decoding: first.state)
        #expect(map.cells.count > 100 && map.cells.values.allSatisfy { $0.mapper == alice.address })

        // A day later Bob drives the same street: each cell is a day old of a 7-day window
        // (0.142) in a region whose every known cell is fresh (3x): about 0.43 a cell. Carol maps
        // Valencia Street, new cells: at least 1 a cell.
        let second = mapping.close(
            epoch(
                1, startMs: start + day,
                reports: [
                    bob: [drive(bob, DriveFixture.marketStreet, at: start + day + 1_000, seed: "b")],
                    carol: [drive(carol, DriveFixture.valenciaStreet, at: start + day + 1_000, seed: "c")],
                ], state: first.state))
        #expect((0.40...0.45).contains(perCell(second.scores[bob.address])), "\(second.scores[bob.address]!)")
        #expect(perCell(second.scores[carol.address]) >= 1)
        let afterBob = try MapState(decoding: second.state)
        #expect(afterBob.cells.values.contains { $0.mapper == bob.address } && afterBob.cells.count > map.cells.count)

        // Nine days on nothing is fresh: Market Street earns in full again, at 1x.
        let third = mapping.close(
            epoch(2, startMs: start + 9 * day, reports: [dave: [drive(dave, DriveFixture.marketStreet, at: start + 9 * day, seed: "d")]], state: second.state))
        #expect(third.scores[dave.address]?.multiplier == "1.000")
        let cells = try MapState(decoding: third.state).cells.filter { $0.value.mapper == dave.address }.count
        #expect(third.scores[dave.address]?.shares == UInt128(cells) * 1_000)
    }

    @Test func theMIP7TiersSetARegionsMultiplier() {
        #expect(MapProgress.multiplier(progressPermille: 0) == 1_000)
        #expect(MapProgress.multiplier(progressPermille: 699) == 1_000)
        #expect(MapProgress.multiplier(progressPermille: 700) == 1_500)
        #expect(MapProgress.multiplier(progressPermille: 850) == 2_000)
        #expect(MapProgress.multiplier(progressPermille: 900) == 3_000)
        #expect(MapProgress.Region(known: 10, fresh: 8).multiplier == 2_000)
        #expect(MapProgress.Region(known: 0, fresh: 0).permille == 0)
    }

    @Test func aBountyDoublesItsAreaPaysItsMappersAndIsRefundedWhereNobodyMaps() throws {
        let mapping = try service()
        let bob = SigningKey()
        let customer = SigningKey().address
        let report = drive(bob, DriveFixture.valenciaStreet, at: start + 1_000, seed: "b")
        guard case .driveSegment(let segment)? = report.body else { Issue.record("no segment"); return }
        let cells = Set(segment.frames.compactMap { try? H3Cell(latitude: $0.lat, longitude: $0.lng, resolution: 12) })
        let area = try cells.sorted { $0.index < $1.index }[cells.count / 2].parent(at: 8)
        let inside = cells.filter { (try? $0.parent(at: 8)) == area }.count
        let paris = try H3Cell(latitude: 48.8566, longitude: 2.3522, resolution: 8)
        let bounties = [
            AreaBounty(id: "b1", account: customer, service: "mapping", area: area.description, credits: Amount(1_000)),
            AreaBounty(id: "b2", account: customer, service: "mapping", area: paris.description, credits: Amount(500)),
        ]
        let paid = [SigningKey().address.description: Amount(7)]
        let plain = mapping.close(epoch(0, startMs: start, reports: [bob: [report]], state: Data(), paid: paid))
        let funded = mapping.close(epoch(0, startMs: start, reports: [bob: [report]], state: Data(), bounties: bounties, paid: paid))
        let extra = try #require(funded.scores[bob.address]).shares - (try #require(plain.scores[bob.address])).shares
        #expect(inside > 0 && extra == UInt128(inside) * 1_000, "\(inside) cells in the area, \(extra) more shares")
        // The mapped area's credits are Bob's usage; the unmapped one's go back; paid usage stays.
        #expect(funded.usage[bob.address.description] == Amount(1_000))
        #expect(funded.refunds == [CreditRefund(account: customer, credits: Amount(500), reference: "b2")])
        for (device, credits) in paid { #expect(funded.usage[device] == credits) }
        #expect(plain.refunds.isEmpty && plain.usage[bob.address.description] == nil)
    }

    @Test func refusedDataLowersReputationAndItCarriesToLaterEpochs() throws {
        let mapping = try service()
        let eve = SigningKey()
        // One segment counted and three refused at ingest: a quarter of her data was good, and
        // her reputation moves a quarter of the way there, from 1 to 0.8125 (812 permille).
        let first = mapping.close(
            epoch(
                0, startMs: start, reports: [eve: [drive(eve, DriveFixture.marketStreet, at: start + 1_000, seed: "e")]], state: Data(),
                refused: [eve.address: [MappingReason.teleport.rawValue: 3]]))
        #expect(first.scores[eve.address]?.multiplier == "0.812")
        #expect(try MapState(decoding: first.state).reputation(of: eve.address) == 812)
        // A clean epoch later (the map stale again): up a quarter of the way back, to 859.
        let later = mapping.close(
            epoch(1, startMs: start + 9 * day, reports: [eve: [drive(eve, DriveFixture.valenciaStreet, at: start + 9 * day, seed: "f", nonce: 2)]], state: first.state))
        #expect(later.scores[eve.address]?.multiplier == "0.859")
        // Refused reports alone, with nothing counted, still count against her.
        let refusedOnly = mapping.close(
            epoch(2, startMs: start + 18 * day, reports: [eve: []], state: later.state, refused: [eve.address: ["drive_parked": 2]]))
        #expect(refusedOnly.scores[eve.address]?.shares == 0)
        #expect(try MapState(decoding: refusedOnly.state).reputation(of: eve.address) == 859 * 3 / 4)
    }

    @Test func theMapStateEncodesAndDecodesExactly() throws {
        var map = MapState()
        let (a, b) = (SigningKey().address, SigningKey().address)
        let frame = FrameRecord.with {
            $0.timestampMs = start
            $0.lat = 37.7749123
            $0.lng = -122.4194987
            $0.sha256 = SHA256Digest.hash(Data("f".utf8))
        }
        map.cells[0x8c2830828b6a1ff] = MapState.Cell(mappedMs: start, mapper: a, frames: [MapState.Frame(frame)])
        map.cells[0x8c2830828b6a3ff] = MapState.Cell(mappedMs: start + 5, mapper: b, frames: [])
        map.reputation[b] = 640
        let bytes = map.encoded()
        #expect(try MapState(decoding: bytes) == map)
        #expect(bytes == (try MapState(decoding: bytes)).encoded())
        #expect(map.cells[0x8c2830828b6a1ff]?.frames.first?.lat == 37.7749123)
        #expect(throws: MapStateError.self) { try MapState(decoding: bytes.dropLast()) }
        #expect(throws: MapStateError.self) { try MapState(decoding: Data([2])) }
        #expect(try MapState(decoding: Data()) == MapState())
    }
}
