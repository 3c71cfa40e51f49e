import Agent
import Core
import Foundation
import Testing

/// The ELM327 conversation and the SAE J1979 formulas, against answers as an adapter writes
/// them: set-up commands, a searching line, single frames, an ISO-TP multi-frame VIN, NO DATA.
@Suite struct ELM327SessionTests {
    /// An adapter that answers from a script and records what it was asked.
    final class ScriptedAdapter: ELM327Session.Link {
        var answers: [String: String]
        var asked: [String] = []

        init(_ answers: [String: String]) { self.answers = answers }

        func exchange(_ command: String) throws -> String {
            asked.append(command)
            return answers[command] ?? "?\r\r>"
        }
    }

    static let car: [String: String] = [
        "ATZ": "ATZ\r\r\rELM327 v1.5\r\r>", "ATE0": "ATE0\rOK\r\r>", "ATL0": "OK\r\r>", "ATS0": "OK\r\r>", "ATH0": "OK\r\r>",
        "ATSP0": "OK\r\r>",
        "0100": "SEARCHING...\r4100BE3FA813\r\r>", "0120": "4120901FF015\r\r>", "0140": "41407A1C8021\r\r>",
        "0160": "NO DATA\r\r>",
        "010D": "410D0A\r\r>", "010C": "410C145F\r\r>", "0105": "41055F\r\r>", "012F": "412FAA\r\r>",
        "0902": "014\r0: 490201575030\r1: 5A5A5A39395A54\r2: 53333930303030\r\r>", "03": "43020301\r\r>",
    ]

    @Test func aSessionSetsUpTheAdapterAndReadsTheCar() throws {
        let adapter = ScriptedAdapter(Self.car)
        var session = ELM327Session(link: adapter)
        try session.start()
        #expect(session.identification == "ELM327 v1.5")
        #expect(adapter.asked == ["ATZ", "ATE0", "ATL0", "ATS0", "ATH0", "ATSP0"])
        var reader = VehicleReader(session: session)
        try reader.identify()
        #expect(reader.vin == "WP0ZZZ99ZTS390000")
        #expect(reader.supportedReadings == ["speed", "rpm", "coolant", "fuel"], "A6 lies past the last bitmap the car answers")
        let sample = try reader.sample(at: 1_000)
        // 0x0A km/h; (0x14 · 256 + 0x5F) / 4 rpm; 0x5F − 40 °C; 0xAA · 100 / 255 %.
        #expect(sample.speedKph == 10 && sample.rpm == 1_303.75 && sample.coolantC == 55 && sample.fuelPercent == 66.7)
        #expect(!sample.hasOdometerKm && sample.dtcs == ["P0301"])
    }

    @Test func theFormulasOfSAEJ1979() {
        #expect(OBDDecoder.odometerKm([0x00, 0x00, 0xEA, 0x5C]) == 5_999.6)
        #expect(OBDDecoder.odometerKm([0x01]) == nil)
        #expect(OBDDecoder.coolantC([0x00]) == -40)
        #expect(OBDDecoder.troubleCodes([0x02, 0x01, 0x33, 0xC1, 0x00], counted: true) == ["P0133", "U0100"])
        #expect(OBDDecoder.troubleCodes([0x00], counted: true).isEmpty)
        #expect(OBDDecoder.supports(0x0D, bitmaps: [0x00: [0xBE, 0x3F, 0xA8, 0x13]]))
        #expect(!OBDDecoder.supports(0x02, bitmaps: [0x00: [0xBE, 0x3F, 0xA8, 0x13]]))
    }

    @Test func anAdapterThatIsNotAnELM327OrRefusesIsAnError() throws {
        var silent = ELM327Session(link: ScriptedAdapter(["ATZ": "HELLO\r>"]))
        #expect(throws: DeviceLinkError.self) { try silent.start() }
        var answers = Self.car
        answers["ATSP0"] = "?\r\r>"
        var refusing = ELM327Session(link: ScriptedAdapter(answers))
        #expect(throws: DeviceLinkError.self) { try refusing.start() }
        // An answer for another PID is refused, not misread.
        answers["ATSP0"] = "OK\r\r>"
        answers["010D"] = "410C145F\r\r>"
        var confused = ELM327Session(link: ScriptedAdapter(answers))
        try confused.start()
        #expect(throws: DeviceLinkError.self) { _ = try confused.request(mode: 0x01, pid: 0x0D) }
        #expect(try confused.request(mode: 0x01, pid: 0x60) == nil, "NO DATA")
        // Another service's answer is no reading.
        answers["01A6"] = "61A60000EA5C\r\r>"
        var other = ELM327Session(link: ScriptedAdapter(answers))
        try other.start()
        #expect(try other.request(mode: 0x01, pid: 0xA6) == nil)
    }
}
