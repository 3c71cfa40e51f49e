import Core
import Coverage
import Foundation
import Geo
import Testing

/// Every proof-of-coverage rule at its edge: a report just inside it counts, one just outside
/// it is refused with the rule's reason code.
@Suite struct ProofOfCoverageRuleTests {
    static let t0 = CoverageFixture.start + 10_000

    /// A beaconer at the base point and a witness 1 km north, each with its own owner.
    struct Pair {
        var fixture = CoverageFixture()
        let beaconer: SigningKey
        let witness: SigningKey

        init(witnessMetresNorth: Double = 1_000, configure: (inout CoverageParameters) -> Void = { _ in }) {
            beaconer = fixture.hotspot()
            witness = fixture.hotspot(metresNorth: witnessMetresNorth)
            configure(&fixture.parameters)
        }

        /// One beacon at t0 and one witness of it; the witness's reason code, nil when counted.
        func judge(
            receivedMs: Int64 = ProofOfCoverageRuleTests.t0 + 500, rssi: Double = -110, frequency: UInt64 = 915_000_000,
            reportedMetresNorth: Double? = nil, entropyMs: Int64? = nil
        ) -> (witness: String?, beacon: String?) {
            var copy = fixture
            let beacon = copy.beacon(by: beaconer, at: ProofOfCoverageRuleTests.t0, entropyMs: entropyMs)
            copy.witness(
                beacon, from: beaconer, by: witness, receivedMs: receivedMs, rssi: rssi, frequency: frequency,
                reportedMetresNorth: reportedMetresNorth)
            let outcomes = copy.evaluate().outcomes
            return (Self.reason(outcomes[witness.address], counted: \.witnesses),
                    Self.reason(outcomes[beaconer.address], counted: \.beacons))
        }

        static func reason(_ outcome: ProofOfCoverage.Outcome?, counted: KeyPath<ProofOfCoverage.Outcome, Int>) -> String? {
            guard let outcome else { return "absent" }
            if outcome[keyPath: counted] > 0 && outcome.rejected.isEmpty { return nil }
            return outcome.rejected.keys.sorted().joined(separator: ",")
        }
    }

    @Test func anHonestPairCounts() {
        let pair = Pair()
        let verdict = pair.judge()
        #expect(verdict.witness == nil)
        #expect(verdict.beacon == nil)
    }

    @Test func minimumWitnessDistance() {
        var pair = Pair()
        let distance = pair.fixture.distance(pair.beaconer, pair.witness)
        pair.fixture.parameters.minWitnessDistanceM = distance - 0.5
        #expect(pair.judge().witness == nil)
        pair.fixture.parameters.minWitnessDistanceM = distance + 0.5
        #expect(pair.judge().witness == "witness_too_close")
        #expect(pair.judge().beacon == "no_valid_witnesses")
    }

    @Test func maximumWitnessDistance() {
        var pair = Pair()
        let distance = pair.fixture.distance(pair.beaconer, pair.witness)
        pair.fixture.parameters.minWitnessDistanceM = 0
        pair.fixture.parameters.maxWitnessDistanceM = distance + 0.5
        #expect(pair.judge().witness == nil)
        pair.fixture.parameters.maxWitnessDistanceM = distance - 0.5
        #expect(pair.judge().witness == "witness_too_far")
    }

    @Test func signalNoStrongerThanFreeSpaceAllows() {
        let pair = Pair()
        let distance = pair.fixture.distance(pair.beaconer, pair.witness)
        let ceiling = RadioPhysics.maximumRssiDbm(
            txPowerDbm: 27, txGainDbi: 3, rxGainDbi: 3, distanceM: distance, frequencyHz: 915_000_000)
        let margin = pair.fixture.parameters.rssiMarginDb
        #expect(pair.judge(rssi: ceiling + margin - 0.001).witness == nil)
        #expect(pair.judge(rssi: ceiling + margin + 0.01).witness == "rssi_too_strong")
    }

    @Test func witnessTimeWindow() {
        let pair = Pair()
        let window = pair.fixture.parameters.witnessWindowMs
        let skew = pair.fixture.parameters.clockSkewMs
        #expect(pair.judge(receivedMs: Self.t0 + window).witness == nil)
        #expect(pair.judge(receivedMs: Self.t0 + window + 1).witness == "witness_time_outside_window")
        #expect(pair.judge(receivedMs: Self.t0 - skew).witness == nil)
        #expect(pair.judge(receivedMs: Self.t0 - skew - 1).witness == "witness_time_outside_window")
    }

    @Test func entropyAge() {
        let pair = Pair()
        let maxAge = pair.fixture.parameters.entropyMaxAgeSeconds * 1000
        #expect(pair.judge(entropyMs: Self.t0 - maxAge).beacon == nil)
        let stale = pair.judge(entropyMs: Self.t0 - maxAge - 1)
        #expect(stale.beacon == "entropy_stale")
        #expect(stale.witness == "beaconer_invalid")
        let skew = pair.fixture.parameters.clockSkewMs
        #expect(pair.judge(entropyMs: Self.t0 + skew).beacon == nil)
        #expect(pair.judge(entropyMs: Self.t0 + skew + 1).beacon == "entropy_from_future")
    }

    @Test func entropyMustBeTheOraclesAndTheDataDerivedFromIt() {
        var pair = Pair()
        let stranger = SigningKey()
        let forged = pair.fixture.beacon(by: pair.beaconer, at: Self.t0, entropySigner: stranger)
        pair.fixture.witness(forged, from: pair.beaconer, by: pair.witness, receivedMs: Self.t0 + 500)
        #expect(pair.fixture.evaluate().outcomes[pair.beaconer.address]?.rejected == ["entropy_unknown": 1])

        var other = Pair()
        let bad = other.fixture.beacon(by: other.beaconer, at: Self.t0, data: Data(repeating: 7, count: 32))
        other.fixture.witness(bad, from: other.beaconer, by: other.witness, receivedMs: Self.t0 + 500)
        #expect(other.fixture.evaluate().outcomes[other.beaconer.address]?.rejected == ["beacon_data_invalid": 1])
    }

    @Test func beaconInterval() {
        for (gap, expected) in [(Int64(0), 2), (Int64(-1), 1)] {
            var pair = Pair()
            let interval = pair.fixture.parameters.beaconIntervalSeconds * 1000
            for time in [Self.t0, Self.t0 + interval + gap] {
                let beacon = pair.fixture.beacon(by: pair.beaconer, at: time)
                pair.fixture.witness(beacon, from: pair.beaconer, by: pair.witness, receivedMs: time + 500)
            }
            let outcome = pair.fixture.evaluate().outcomes[pair.beaconer.address]
            #expect(outcome?.beacons == expected)
            #expect((outcome?.rejected["beacon_too_frequent"] ?? 0) == 2 - expected)
        }
    }

    @Test func aBeaconNobodyValidlyHeardDoesNotCount() {
        var pair = Pair()
        pair.fixture.beacon(by: pair.beaconer, at: Self.t0)
        #expect(pair.fixture.evaluate().outcomes[pair.beaconer.address]?.rejected == ["no_valid_witnesses": 1])
    }

    @Test func oneWitnessReportPerBeacon() {
        var pair = Pair()
        let beacon = pair.fixture.beacon(by: pair.beaconer, at: Self.t0)
        pair.fixture.witness(beacon, from: pair.beaconer, by: pair.witness, receivedMs: Self.t0 + 500)
        pair.fixture.witness(beacon, from: pair.beaconer, by: pair.witness, receivedMs: Self.t0 + 600)
        let outcome = pair.fixture.evaluate().outcomes[pair.witness.address]
        #expect(outcome?.witnesses == 1)
        #expect(outcome?.rejected == ["duplicate_witness": 1])
    }

    @Test func witnessAndBeaconerMayNotShareAnOwner() {
        var fixture = CoverageFixture()
        let owner = SigningKey().address
        let beaconer = fixture.hotspot(owner: owner)
        let witness = fixture.hotspot(metresNorth: 1_000, owner: owner)
        let beacon = fixture.beacon(by: beaconer, at: Self.t0)
        fixture.witness(beacon, from: beaconer, by: witness, receivedMs: Self.t0 + 500)
        #expect(fixture.evaluate().outcomes[witness.address]?.rejected == ["same_owner": 1])
    }

    @Test func reportedPositionMustMatchTheAssertedOne() {
        var pair = Pair()
        let asserted = pair.fixture.location(of: pair.witness)
        let reported = CoverageFixture.place(metresNorth: 1_300)
        let offset = GreatCircle.metres(lat1: asserted.lat, lng1: asserted.lng, lat2: reported.lat, lng2: reported.lng)
        pair.fixture.parameters.locationToleranceM = offset + 0.5
        #expect(pair.judge(reportedMetresNorth: 1_300).witness == nil)
        pair.fixture.parameters.locationToleranceM = offset - 0.5
        #expect(pair.judge(reportedMetresNorth: 1_300).witness == "location_mismatch")
    }

    @Test func frequencyMustMatch() {
        let pair = Pair()
        #expect(pair.judge(frequency: 915_000_000).witness == nil)
        #expect(pair.judge(frequency: 915_200_000).witness == "frequency_mismatch")
    }

    @Test func witnessMayNotShareTheBeaconersCell() throws {
        var pair = Pair()
        let (a, b) = (pair.fixture.location(of: pair.beaconer), pair.fixture.location(of: pair.witness))
        // The finest resolution at which the two still share a cell.
        let shared = try #require(
            (0...15).last { res in
                (try? H3Cell(latitude: a.lat, longitude: a.lng, resolution: res))
                    == (try? H3Cell(latitude: b.lat, longitude: b.lng, resolution: res))
            })
        pair.fixture.parameters.sameCellResolution = shared + 1
        #expect(pair.judge().witness == nil)
        pair.fixture.parameters.sameCellResolution = shared
        #expect(pair.judge().witness == "same_cell")
    }

    @Test func denylistAndMissingLocation() {
        var pair = Pair()
        pair.fixture.parameters.denylist = [pair.witness.address]
        #expect(pair.judge().witness == "denylisted")

        var fixture = CoverageFixture()
        let beaconer = fixture.hotspot()
        let witness = fixture.hotspot(located: false)
        let beacon = fixture.beacon(by: beaconer, at: Self.t0)
        fixture.witness(beacon, from: beaconer, by: fixture.hotspot(metresNorth: 1_000), receivedMs: Self.t0 + 500)
        var unlocated = Witness()
        unlocated.beaconer = beaconer.publicKey.rawRepresentation
        unlocated.beaconData = beacon.data
        fixture.send(.witness(unlocated), by: witness, at: Self.t0 + 600)
        #expect(fixture.evaluate().outcomes[witness.address]?.rejected == ["no_asserted_location": 1])
    }

    @Test func locationTrustAfterAReassertion() {
        let trust = CoverageParameters().locationTrustSeconds * 1000
        let reportMs = Self.t0 + 500 + 100
        for (reasserted, expected) in [(reportMs - trust, nil as String?), (reportMs - trust + 1, "location_not_trusted")] {
            var fixture = CoverageFixture()
            let beaconer = fixture.hotspot()
            let witness = fixture.hotspot(metresNorth: 1_000, reassertedMs: reasserted)
            let beacon = fixture.beacon(by: beaconer, at: Self.t0)
            fixture.witness(beacon, from: beaconer, by: witness, receivedMs: Self.t0 + 500)
            let outcome = fixture.evaluate().outcomes[witness.address]
            #expect(Pair.reason(outcome, counted: \.witnesses) == expected)
        }
    }

    @Test func aWitnessMustNameACountedBeacon() {
        var pair = Pair()
        var ghost = Beacon()
        ghost.data = Data(repeating: 1, count: 32)
        pair.fixture.witness(ghost, from: pair.beaconer, by: pair.witness, receivedMs: Self.t0)
        #expect(pair.fixture.evaluate().outcomes[pair.witness.address]?.rejected == ["beacon_unknown": 1])
    }

    @Test func witnessesAreChosenByTheEntropyOnePerCell() {
        var fixture = CoverageFixture()
        fixture.parameters.maxWitnesses = 2
        let beaconer = fixture.hotspot()
        // Two witnesses a few metres apart (one cell) and two more in other places.
        let crowd = [
            fixture.hotspot(metresNorth: 1_000), fixture.hotspot(metresNorth: 1_000, metresEast: 3),
            fixture.hotspot(metresNorth: 2_000), fixture.hotspot(metresNorth: 3_000),
        ]
        let beacon = fixture.beacon(by: beaconer, at: Self.t0)
        for key in crowd { fixture.witness(beacon, from: beaconer, by: key, receivedMs: Self.t0 + 500) }
        let outcomes = fixture.evaluate().outcomes
        let selected = crowd.filter { outcomes[$0.address]?.witnesses == 1 }
        #expect(selected.count == 2)
        #expect(crowd.filter { outcomes[$0.address]?.rejected == ["not_selected": 1] }.count == 2)
        #expect(!(selected.contains { $0.address == crowd[0].address } && selected.contains { $0.address == crowd[1].address }))
    }
}
