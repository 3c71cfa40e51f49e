import Core
import Foundation
import Ledger
import Rewards
import SwiftProtobuf
import Telemetry
import Testing

/// The telemetry service's rules: each batch's quality gates with their codes, one vehicle one
/// reward (a cloned VIN is refused), counters that carry on across batches and epochs, meters
/// paid for verified energy, and DIMO's streak levels across good and missed epochs.
@Suite struct TelemetryServiceTests {
    let start: Int64 = 1_795_000_000_000
    let hour: Int64 = 3_600_000
    let owner = SigningKey().address

    func service(_ table: TOMLTable = TOMLTable(line: 1)) throws -> TelemetryService {
        try TelemetryService(service: Genesis.Service(name: "telemetry", weight: 10, kinds: [.vehicle, .meter], parameters: table))
    }

    /// A minute of a car idling then driving: a sample every 5 s, the odometer from `odometer` km.
    func drive(vin: String = "1HGCM82633A004352", from ms: Int64, odometer: Double = 42_000) -> VehicleTelemetry {
        VehicleTelemetry.with { batch in
            batch.vin = vin
            for step in 0..<12 {
                batch.samples.append(
                    VehicleSample.with {
                        $0.timestampMs = ms + Int64(step) * 5_000
                        $0.speedKph = Double(step * 4)
                        $0.rpm = 800 + Double(step * 150)
                        $0.coolantC = 85 + Double(step % 3)
                        $0.fuelPercent = 61.5
                        $0.odometerKm = odometer + Double(step) * 0.01
                    })
            }
        }
    }

    /// Ten minutes of a solar meter exporting 3 kW: a reading a minute, counters from `exported` Wh.
    func solar(serial: String = "SN-0042", from ms: Int64, exported: UInt64 = 1_000_000, watts: Double = 3_000) -> MeterReadings {
        MeterReadings.with { batch in
            batch.serial = serial
            for minute in 0...10 {
                batch.readings.append(
                    MeterReading.with {
                        $0.timestampMs = ms + Int64(minute) * 60_000
                        $0.energyImportWh = 500_000
                        $0.energyExportWh = exported + UInt64(minute * 50)
                        $0.powerW = -watts + Double(minute % 2)
                        $0.voltageV = 239.5 + Double(minute % 3) / 10
                    })
            }
        }
    }

    func report(_ body: Report.OneOf_Body, by key: SigningKey, at ms: Int64, nonce: UInt64) -> Report {
        var report = Report()
        report.timestampMs = ms
        report.nonce = nonce
        report.body = body
        report.sign(with: key)
        return report
    }

    func epoch(_ number: Int64, devices: [(SigningKey, DeviceKind)], reports: [Address: [Report]], state: Data) -> ServiceEpoch {
        let start = self.start + number * 24 * hour
        return ServiceEpoch(
            epoch: number, startMs: start, endMs: start + 24 * hour,
            devices: devices.map { EpochInput.Device(id: $0.0.address, kind: $0.1.name, owner: owner, payout: nil) }.sorted { $0.id < $1.id },
            reports: DeviceReports(reports), state: state)
    }

    @Test func eachGateRefusesWithItsCode() throws {
        let telemetry = try service()
        let quality = VehicleQuality(parameters: telemetry.parameters)
        let good = drive(from: start)
        let reportMs = start + 120_000
        #expect(quality.check(good, reportMs: reportMs) == nil)
        func spoiled(_ change: (inout VehicleTelemetry) -> Void) -> TelemetryReason? {
            var batch = good
            change(&batch)
            return quality.check(batch, reportMs: reportMs)
        }
        #expect(spoiled { $0.vin = "1HGCM82633A00435" } == .badVIN)
        #expect(spoiled { $0.vin = "1HGCM82633AO04352" } == .badVIN, "O is not in the VIN alphabet")
        #expect(spoiled { $0.samples = [] } == .empty)
        #expect(spoiled { $0.samples[3].timestampMs = $0.samples[2].timestampMs } == .timesNotMonotonic)
        #expect(spoiled { $0.samples[11].timestampMs = reportMs + 3_600_000 } == .fromTheFuture)
        #expect(spoiled { $0.samples[0].timestampMs = reportMs - 90_000_000 } == .tooOld)
        #expect(spoiled { $0.samples[5].timestampMs = $0.samples[4].timestampMs + 100 } == .samplingRate)
        #expect(spoiled { $0.samples[4].speedKph = 420 } == .outOfBounds)
        #expect(spoiled { $0.samples[4].coolantC = .nan } == .outOfBounds)
        #expect(spoiled { $0.samples[6].odometerKm = 41_000 } == .odometerBackwards)
        #expect(spoiled { $0.samples[6].odometerKm = 42_050 } == .odometerJump, "50 km in 30 s")
        #expect(spoiled { for index in $0.samples.indices { ($0.samples[index].rpm, $0.samples[index].speedKph, $0.samples[index].coolantC) = (2_000, 50, 90) } } == .frozen)
        // A parked car reads the same while its engine is off: not frozen.
        #expect(spoiled { for index in $0.samples.indices { ($0.samples[index].rpm, $0.samples[index].speedKph, $0.samples[index].coolantC) = (0, 0, 20) } } == nil)
        // A car that does not report its odometer or fuel is fine.
        #expect(spoiled { for index in $0.samples.indices { $0.samples[index].clearOdometerKm(); $0.samples[index].clearFuelPercent() } } == nil)

        let meter = MeterQuality(parameters: telemetry.parameters)
        let readings = solar(from: start)
        #expect(meter.check(readings, reportMs: start + 700_000) == nil)
        var falling = readings
        falling.readings[5].energyExportWh = 999_000
        #expect(meter.check(falling, reportMs: start + 700_000) == .energyCounterDecreased)
        var stuck = readings
        for index in stuck.readings.indices { (stuck.readings[index].powerW, stuck.readings[index].voltageV) = (-3_000, 240) }
        #expect(meter.check(stuck, reportMs: start + 700_000) == .frozen)
        var unnamed = readings
        unnamed.serial = ""
        #expect(meter.check(unnamed, reportMs: start + 700_000) == .badSerial)
        var surge = readings
        surge.readings[2].voltageV = 5_000
        #expect(meter.check(surge, reportMs: start + 700_000) == .outOfBounds)
    }

    @Test func oneVehicleOneRewardAndCountersCarryOnAcrossEpochs() throws {
        let telemetry = try service()
        let (car, clone) = (SigningKey(), SigningKey())
        let devices = [(car, DeviceKind.vehicle), (clone, .vehicle)]
        let first = telemetry.close(
            epoch(
                0, devices: devices,
                reports: [
                    car.address: [report(.vehicleTelemetry(drive(from: start + hour)), by: car, at: start + hour + 60_000, nonce: 1)],
                    clone.address: [report(.vehicleTelemetry(drive(from: start + 2 * hour)), by: clone, at: start + 2 * hour + 60_000, nonce: 1)],
                ], state: Data()))
        #expect(first.scores[car.address]?.shares == 6_000 && first.scores[car.address]?.counted == 1)
        #expect(first.scores[clone.address]?.rejected[TelemetryReason.vinBoundElsewhere.rawValue] == 1)
        #expect(first.scores[clone.address]?.shares ?? 0 == 0)
        // Next epoch the car's odometer reads less than it did: refused, and the epoch is missed.
        let day = 24 * hour
        let second = telemetry.close(
            epoch(
                1, devices: devices,
                reports: [car.address: [report(.vehicleTelemetry(drive(from: start + day + hour, odometer: 41_000)), by: car, at: start + day + hour + 60_000, nonce: 2)]],
                state: first.state))
        #expect(second.scores[car.address]?.rejected == [TelemetryReason.odometerBackwards.rawValue: 1, TelemetryReason.lowQuality.rawValue: 1])
        #expect(second.scores[car.address]?.shares == 0)
        // The same car under another VIN: refused as a changed identity.
        let third = telemetry.close(
            epoch(
                2, devices: devices,
                reports: [car.address: [report(.vehicleTelemetry(drive(vin: "WVWZZZ1JZXW000001", from: start + 2 * day + hour, odometer: 42_100)), by: car, at: start + 2 * day + hour + 60_000, nonce: 3)]],
                state: second.state))
        #expect(third.scores[car.address]?.rejected[TelemetryReason.identityChanged.rawValue] == 1)
        let state = try TelemetryState(decoding: third.state)
        #expect(state.bindings["vin:1HGCM82633A004352"] == car.address.description)
        #expect(state.devices[car.address.description]?.odometerM == 42_000_110)
    }

    @Test func aMeterEarnsForVerifiedEnergyOnly() throws {
        let telemetry = try service()
        let (honest, inflated) = (SigningKey(), SigningKey())
        var padded = solar(serial: "SN-2", from: start + hour)
        // Its export counter claims ten times what its power readings account for.
        for index in padded.readings.indices { padded.readings[index].energyExportWh = 1_000_000 + UInt64(index * 5_000) }
        let outcome = telemetry.close(
            epoch(
                0, devices: [(honest, .meter), (inflated, .meter)],
                reports: [
                    honest.address: [report(.meterReadings(solar(from: start + hour, watts: 3_000)), by: honest, at: start + hour + 700_000, nonce: 1)],
                    inflated.address: [report(.meterReadings(padded), by: inflated, at: start + hour + 700_000, nonce: 1)],
                ], state: Data()))
        // 500 Wh over ten minutes at 3 kW: the counter and the power agree; 0 whole kWh is 0 points extra.
        #expect(outcome.scores[honest.address]?.shares == 2_000 && outcome.scores[honest.address]?.rejected.isEmpty == true)
        #expect(outcome.scores[inflated.address]?.shares == 2_000)
        #expect(outcome.scores[inflated.address]?.rejected == [TelemetryReason.energyUnverified.rawValue: 1])

        // A day of export at 3 kW, read every 10 minutes: 72 kWh, 7,200 points more.
        let dayLong = MeterReadings.with { batch in
            batch.serial = "SN-0042"
            for step in 0...144 {
                batch.readings.append(
                    MeterReading.with {
                        $0.timestampMs = start + Int64(step) * 600_000
                        $0.energyExportWh = 1_000_000 + UInt64(step * 500)
                        $0.energyImportWh = 500_000
                        $0.powerW = -3_000 + Double(step % 2)
                        $0.voltageV = 240 + Double(step % 3) / 10
                    })
            }
        }
        let day = telemetry.close(
            epoch(0, devices: [(honest, .meter)], reports: [honest.address: [report(.meterReadings(dayLong), by: honest, at: start + 24 * hour, nonce: 1)]], state: Data()))
        #expect(day.scores[honest.address]?.shares == UInt128(9_200), "2,000 points and 72 kWh at 100 a kWh")
    }

    @Test func streaksClimbPauseOnAMissAndDropALevelAfterThreeMisses() throws {
        let streaks = StreakLevels(parameters: TelemetryParameters())
        var device = TelemetryState.Device(identity: "vin:1HGCM82633A004352")
        var levels: [Int] = []
        for _ in 0..<22 {
            device = streaks.good(device)
            levels.append(streaks.level(of: device.streak))
        }
        // Level 2 from the 4th good epoch, level 3 from the 21st.
        #expect(levels[2] == 1 && levels[3] == 2 && levels[19] == 2 && levels[20] == 3)
        // A miss pauses: the streak neither grows nor resets.
        device = streaks.missed(device)
        #expect(device.streak == 22 && streaks.level(of: device.streak) == 3)
        device = streaks.good(device)
        #expect(device.streak == 23 && device.misses == 0)
        // Three misses in a row cost a level: back to level 2's start; three more, to level 1.
        for _ in 0..<3 { device = streaks.missed(device) }
        #expect(streaks.level(of: device.streak) == 2 && device.streak == 4)
        for _ in 0..<3 { device = streaks.missed(device) }
        #expect(streaks.level(of: device.streak) == 1 && device.streak == 0)
        #expect(streaks.bonus(of: 36) == 3_000 && streaks.bonus(of: 35) == 2_000)

        // Through the service: a car reporting every epoch earns 6,000, then 7,000 from its 4th.
        let telemetry = try service()
        let car = SigningKey()
        var state = Data()
        var shares: [UInt128] = []
        for number in Int64(0)..<5 {
            let at = start + number * 24 * hour + hour
            let outcome = telemetry.close(
                epoch(
                    number, devices: [(car, .vehicle)],
                    reports: [car.address: [report(.vehicleTelemetry(drive(from: at, odometer: 42_000 + Double(number))), by: car, at: at + 60_000, nonce: UInt64(number + 1))]],
                    state: state))
            shares.append(outcome.scores[car.address]?.shares ?? 0)
            state = outcome.state
        }
        #expect(shares == [6_000, 6_000, 6_000, 7_000, 7_000])
    }

    @Test func theLevelsTableIsReadFromTheGenesis() throws {
        var table = TOMLTable(line: 1)
        table["streak_levels"] = .init(value: .array([.array([.integer(0), .integer(0)]), .array([.integer(2), .integer(500)])]), line: 3)
        let telemetry = try service(table)
        #expect(telemetry.parameters.levels.map(\.epochs) == [0, 2] && telemetry.parameters.levels.map(\.bonus) == [0, 500])
        var bad = TOMLTable(line: 1)
        bad["streak_levels"] = .init(value: .array([.array([.integer(3), .integer(0)])]), line: 4)
        #expect(throws: GenesisError.self) { try service(bad) }
        var shape = TOMLTable(line: 1)
        shape["streak_levels"] = .init(value: .array([.integer(3)]), line: 5)
        #expect(throws: GenesisError.self) { try service(shape) }
    }
}
