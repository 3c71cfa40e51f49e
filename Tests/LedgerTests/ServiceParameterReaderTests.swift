import Core
import Ledger
import Testing

/// A service's own keys in its genesis table: typed, in range, and nothing it does not read.
@Suite struct ServiceParameterReaderTests {
    func service(_ entries: [(String, TOMLValue)]) -> Genesis.Service {
        var table = TOMLTable(line: 10)
        for (index, (key, value)) in entries.enumerated() { table[key] = .init(value: value, line: 11 + index) }
        return Genesis.Service(name: "mapping", weight: 1, kinds: [.dashcam], parameters: table)
    }

    @Test func itReadsKnownKeysAndRefusesOthersByLine() throws {
        let reader = try ServiceParameterReader(
            service([("max_hdop", .integer(3)), ("usage_share_percent", .integer(50)), ("frame_spacing_m", .float(7.5))]),
            known: ["max_hdop", "frame_spacing_m", "max_age_s"], what: "mapping service")
        #expect(try reader.number("max_hdop", 0...10) == 3)
        #expect(try reader.number("frame_spacing_m", 0...10) == 7.5)
        #expect(try reader.integer("max_age_s", 0...10) == nil)
        #expect(throws: GenesisError.self) { try reader.integer("frame_spacing_m", 0...10) }
        #expect(throws: GenesisError.self) { try reader.number("max_hdop", 5...10) }
        do {
            _ = try ServiceParameterReader(
                service([("max_hdop", .integer(3)), ("max_hpod", .integer(3))]), known: ["max_hdop"], what: "mapping service")
            Issue.record("a misspelt key was taken")
        } catch {
            #expect(error.line == 12 && error.message.contains("services.mapping.max_hpod"), "\(error)")
        }
    }
}
