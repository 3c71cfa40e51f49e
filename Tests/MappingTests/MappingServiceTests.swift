import Core
import Foundation
import Geo
import Ledger
import Mapping
import Rewards
import Testing

/// The mapping service as the node runs it: reports checked as they arrive, the epoch scored
/// by distinct road cells, and the fraud scenario: a driver who replays another's drive, one
/// who fakes a teleporting track and one who parks and idles earn nothing, and honest drivers
/// in the same area keep their rewards.
@Suite struct MappingServiceTests {
    let startMs: Int64 = 1_795_000_000_000

    func service() throws -> MappingService {
        try MappingService(service: Genesis.Service(name: "mapping", weight: 10, kinds: [.dashcam], parameters: TOMLTable(line: 1)))
    }

    func report(_ segment: DriveSegment, by key: SigningKey, at ms: Int64, nonce: UInt64) -> Report {
        var report = Report()
        report.timestampMs = ms
        report.nonce = nonce
        report.body = .driveSegment(segment)
        report.sign(with: key)
        return report
    }

    @Test func honestDriversEarnAndFraudDoesNot() throws {
        let mapping = try service()
        let keys = (0..<5).map { _ in SigningKey() }
        let (alice, bob, replayer, teleporter, idler) = (keys[0], keys[1], keys[2], keys[3], keys[4])
        let market = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs, seed: "alice")
        let valencia = DriveFixture.drive(along: DriveFixture.valenciaStreet, startMs: startMs + 60_000, seed: "bob")
        var reports: [Address: [Report]] = [:]
        let aliceSegment = DriveFixture.segment(market, id: 1)
        reports[alice.address] = [report(aliceSegment, by: alice, at: startMs + 400_000, nonce: 1)]
        reports[bob.address] = [report(DriveFixture.segment(valencia, id: 2), by: bob, at: startMs + 400_000, nonce: 1)]
        // The replayer submits Alice's drive later, as is and with its clock shifted an hour.
        var shifted = aliceSegment
        for index in shifted.fixes.indices { shifted.fixes[index].timestampMs += 3_600_000 }
        shifted.frames = []
        reports[replayer.address] = [
            report(aliceSegment, by: replayer, at: startMs + 500_000, nonce: 1),
            report(shifted, by: replayer, at: startMs + 4_000_000, nonce: 2),
        ]
        // The teleporter's track jumps across town; the node refuses it as it arrives.
        var jumping = DriveFixture.segment(DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs, seed: "tele"), id: 4)
        for index in 30..<jumping.fixes.count { jumping.fixes[index].lng += 0.05 }
        let teleport = report(jumping, by: teleporter, at: startMs + 400_000, nonce: 1)
        #expect(mapping.validate(teleport, kind: .dashcam) == MappingReason.teleport.rawValue)
        // The idler's camera runs at the kerb.
        var idle = DriveSegment()
        idle.drive = Data(repeating: 5, count: 16)
        for second in 0..<120 {
            var fix = GpsFix()
            (fix.timestampMs, fix.lat, fix.lng) = (startMs + Int64(second) * 1_000, 37.7819, -122.4100)
            (fix.fixQuality, fix.fixMode, fix.satellites, fix.hdop, fix.speedMps) = (1, 3, 8, 1, 0)
            idle.fixes.append(fix)
        }
        let idling = report(idle, by: idler, at: startMs + 400_000, nonce: 1)
        #expect(mapping.validate(idling, kind: .dashcam) == MappingReason.parked.rawValue)

        // What reaches the epoch is what passed validation.
        for (key, list) in reports {
            for report in list { #expect(mapping.validate(report, kind: .dashcam) == nil, "\(key)") }
        }
        let owner = SigningKey().address
        let epoch = ServiceEpoch(
            epoch: 3, startMs: startMs, endMs: startMs + 86_400_000,
            devices: keys.map { EpochInput.Device(id: $0.address, kind: "dashcam", owner: owner, payout: nil) }.sorted { $0.id < $1.id },
            reports: DeviceReports(reports))
        let scores = mapping.score(epoch)
        let aliceCells = try #require(scores[alice.address]).shares
        let bobCells = try #require(scores[bob.address]).shares
        // Market Street is about 3 km: at H3 resolution 12 (cells about 20 m across) a straight
        // drive crosses well over a hundred cells; Valencia Street about 2 km.
        #expect(aliceCells > 100 && bobCells > 60, "\(aliceCells) \(bobCells)")
        #expect(scores[replayer.address]?.shares ?? 0 == 0)
        #expect(scores[replayer.address]?.rejected == [MappingReason.duplicateFrame.rawValue: 1, MappingReason.duplicateTrack.rawValue: 1])
        #expect(scores[teleporter.address] == nil && scores[idler.address] == nil)

        // Driving Market Street twice in one epoch counts its cells once.
        let again = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs + 1_000_000, seed: "alice-again")
        var twice = reports
        twice[alice.address]!.append(report(DriveFixture.segment(again, id: 6), by: alice, at: startMs + 1_400_000, nonce: 2))
        let rescored = mapping.score(
            ServiceEpoch(epoch: 3, startMs: startMs, endMs: startMs + 86_400_000, devices: epoch.devices, reports: DeviceReports(twice)))
        #expect(rescored[alice.address]?.counted == 2)
        let extra = (rescored[alice.address]?.shares ?? 0) - aliceCells
        #expect(extra < aliceCells / 10, "a second pass adds at most the few cells its path differs in: \(extra)")
    }

    @Test func aDriveCannotStartWhereTheLastCouldNotHaveReached() throws {
        let mapping = try service()
        let driver = SigningKey()
        // Market Street, then Valencia Street starting ten seconds later 350 m away: fine at
        // 60 m/s; then Market Street again one second after that, 3 km away: not.
        let first = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: startMs, seed: "1")
        let endMs = first.fixes.last!.timestampMs
        let second = DriveFixture.drive(along: DriveFixture.valenciaStreet, startMs: endMs + 10_000, seed: "2")
        let third = DriveFixture.drive(along: DriveFixture.marketStreet, startMs: second.fixes.last!.timestampMs + 1_000, seed: "3")
        let reports = [first, second, third].enumerated().map { index, drive in
            report(DriveFixture.segment(drive, sequence: UInt32(index)), by: driver, at: drive.fixes.last!.timestampMs + 5_000, nonce: UInt64(index + 1))
        }
        let scores = mapping.score(
            ServiceEpoch(
                epoch: 0, startMs: startMs, endMs: startMs + 86_400_000,
                devices: [EpochInput.Device(id: driver.address, kind: "dashcam", owner: driver.address, payout: nil)],
                reports: [driver.address: reports]))
        #expect(scores[driver.address]?.counted == 2)
        #expect(scores[driver.address]?.rejected == [MappingReason.farFromLastEnd.rawValue: 1])
    }
}
