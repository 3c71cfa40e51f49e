import Core
import Foundation
import Geo
import Ledger
import Simulation
import Testing

/// The scenario file: the shipped one reads, and mistakes are named with their line.
struct ScenarioTests {
    @Test func theShippedScenarioReads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scenarios/launch.toml").path
        let scenario = try Scenario(toml: try String(contentsOfFile: path, encoding: .utf8))
        #expect(scenario.epochs == 365 && scenario.seed == 42 && scenario.tiers == 10)
        #expect(scenario.fleets.map(\.kind) == [.hotspot, .renderNode, .storageNode, .dashcam, .vehicle, .meter])
        #expect(scenario.fleets[0].initial == 20_000 && scenario.fleets[0].uptime == 0.6...1.0)
        #expect(scenario.price.marketDepthUSD == 2_000_000 && scenario.price.creditsPerUSD == 100_000)
        #expect(scenario.demand["coverage"] == Scenario.Demand(usdPerEpoch: 1_500, growthPerYear: 2, deviceElasticity: 0.5))
        #expect(scenario.shocks == [Scenario.Shock(startEpoch: 150, epochs: 90, factor: 0.3)])
        #expect(scenario.shockFactor(epoch: 149) == 1 && scenario.shockFactor(epoch: 150) == 0.3)
        // A resolution-9 cell downtown lies in the San Francisco region; one in London does not.
        #expect(scenario.region(containing: try H3Cell(parsing: "89283082803ffff")) == 0)
        #expect(scenario.region(containing: try H3Cell(latitude: 51.5, longitude: -0.12, resolution: 9)) == nil)
    }

    @Test(arguments: [
        ("[price]\ninitial_usd = 1\n[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 1\nspeed = 3\n",
         "line 6: unknown key 'speed' in [kinds.hotspot]"),
        ("[price]\ninitial_usd = 1\n[kinds.drone]\ninitial = 1\nhardware_cost_usd = 1\n", "line 3: unknown device kind 'drone'"),
        ("[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 1\n", "the scenario needs a [price] table with initial_usd"),
        ("[price]\ninitial_usd = 1\n", "the scenario needs at least one [kinds.KIND] table"),
        ("[price]\ninitial_usd = 0\n[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 1\n", "line 2: 'initial_usd' must be between"),
        ("[price]\ninitial_usd = 1\n[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 1\nuptime_min = 0.9\nuptime_max = 0.5\n",
         "line 7: 'uptime_min' is above 'uptime_max'"),
        ("[price]\ninitial_usd = 1\n[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = \"lots\"\n",
         "line 5: 'hardware_cost_usd' is a number, not a string"),
        ("[price]\ninitial_usd = 1\n[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 1\n[[region]]\nname = \"x\"\ncell = \"nope\"\nshare = 0.5\n",
         "line 8: region x: 'nope' is not an H3 cell"),
        ("[price]\ninitial_usd = 1\n[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 1\n[[shock]]\nstart_epoch = 3\nfactor = 0.5\n",
         "[shock] needs 'epochs'"),
    ])
    func aMistakeIsNamedWithItsLine(text: String, message: String) {
        do {
            _ = try Scenario(toml: text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
