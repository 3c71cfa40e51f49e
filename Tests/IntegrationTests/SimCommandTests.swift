import Foundation
import Testing

/// `depin sim` and `depin sim earnings` through the real binary, on the shipped scenario. The
/// runs are short and wait on a Dispatch thread, not on the concurrency pool the node tests use.
@Suite(.serialized) struct SimCommandTests {
    /// `depin ARGS` in `directory`, waited for off the concurrency pool.
    static func depin(_ arguments: [String], in directory: String) async throws -> DepinBinary.Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try DepinBinary.run(arguments, in: directory) })
            }
        }
    }

    /// The same, for a command that must succeed: its standard output.
    static func ok(_ arguments: [String], in directory: String) async throws -> String {
        let output = try await depin(arguments, in: directory)
        guard output.status == 0 else {
            throw HarnessError("depin \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }

    static func workspace() async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-sim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = try await ok(
            ["init", "--token", "Demo", "--symbol", "DEMO", "--emission-tokens", "100000", "--out", "network.toml"],
            in: directory)
        return directory
    }

    static var scenario: String { DepinBinary.root.appendingPathComponent("scenarios/launch.toml").path }

    @Test func writesTheEpochsBandsChartsAndSummaryAndRepeatsForASeed() async throws {
        let directory = try await Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = [
            "sim", "--genesis", "network.toml", "--scenario", Self.scenario, "--epochs", "20", "--runs", "2", "--quiet",
        ]
        let stdout = try await Self.ok(arguments + ["--out", "first"], in: directory)
        #expect(stdout.contains("hotspot: 20000 at the start"))
        #expect(stdout.contains("over 2 runs (5th, 50th, 95th percentile)"))
        let read = { (name: String) in try String(contentsOfFile: directory + "/first/" + name, encoding: .utf8) }
        let lines = try read("epochs.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.count == 21)
        let header = lines[0]
        for column in ["emission", "burned", "net_emission", "supply", "price_usd", "devices_vehicle", "earn_median_meter"] {
            #expect(header.contains(column), "column \(column)")
        }
        func value(_ row: [String], _ column: String) -> Decimal {
            Decimal(string: row[header.firstIndex(of: column)!]) ?? .nan
        }
        // Exact decimals: net emission is emission less burn; supply moves by mint less burn.
        var supply = Decimal(0)
        for row in lines.dropFirst() {
            #expect(value(row, "net_emission") == value(row, "emission") - value(row, "burned"))
            supply += value(row, "minted") - value(row, "burned")
            #expect(value(row, "supply") == supply)
        }
        #expect(try read("bands.csv").hasPrefix("epoch,price_usd_p5,price_usd_p50,price_usd_p95,supply_p5"))
        for chart in ["devices", "flows", "supply", "price", "earnings"] {
            let svg = try read("charts/\(chart).svg")
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"), "\(chart).svg")
            #expect(svg.contains("<polyline"))
        }
        #expect(try read("summary.txt") == stdout.components(separatedBy: "wrote first/").first!)

        _ = try await Self.ok(arguments + ["--out", "second"], in: directory)
        #expect(try String(contentsOfFile: directory + "/second/epochs.csv", encoding: .utf8) == (try read("epochs.csv")))
        _ = try await Self.ok(arguments + ["--out", "third", "--seed", "43", "--runs", "1"], in: directory)
        #expect(try String(contentsOfFile: directory + "/third/epochs.csv", encoding: .utf8) != (try read("epochs.csv")))
    }

    @Test func estimatesAnOwnersPayback() async throws {
        let directory = try await Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stdout = try await Self.ok(
            [
                "sim", "earnings", "--genesis", "network.toml", "--scenario", Self.scenario, "--epochs", "20", "--runs", "2",
                "--kind", "hotspot", "--hardware-cost", "5", "--location", "89283082803ffff", "--quiet", "--out", "mine",
            ], in: directory)
        #expect(stdout.contains("a hotspot in region san-francisco, tier 5 of 10"))
        #expect(stdout.contains("paid back within the horizon in 100% of runs"))
        #expect(stdout.contains("median                        "))
        #expect(stdout.contains("cumulative earnings less power, dollars"))
        let csv = try String(contentsOfFile: directory + "/mine/payback.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 21 && csv[0] == "epoch,cumulative_net_p10,cumulative_net_median,cumulative_net_p90")
        #expect(try String(contentsOfFile: directory + "/mine/payback.svg", encoding: .utf8).contains("hardware cost"))
    }

    @Test func refusesWhatItCannotRun() async throws {
        let directory = try await Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "[price]\ninitial_usd = 1\nvolatilty_per_year = 0.5\n[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 1\n"
            .write(toFile: directory + "/typo.toml", atomically: true, encoding: .utf8)
        let typo = try await Self.depin(["sim", "--genesis", "network.toml", "--scenario", "typo.toml"], in: directory)
        #expect(typo.status != 0 && typo.stderr.contains("typo.toml: line 3: unknown key 'volatilty_per_year' in [price]"))
        let kind = try await Self.depin(
            ["sim", "earnings", "--genesis", "network.toml", "--scenario", Self.scenario, "--kind", "drone", "--hardware-cost", "5"],
            in: directory)
        #expect(kind.status != 0 && kind.stderr.contains("the scenario has no drone devices"))
        let cell = try await Self.depin(
            [
                "sim", "earnings", "--genesis", "network.toml", "--scenario", Self.scenario, "--kind", "hotspot", "--hardware-cost",
                "5", "--location", "nowhere",
            ], in: directory)
        #expect(cell.status != 0 && cell.stderr.contains("--location nowhere is not an H3 cell"))
        let missing = try await Self.depin(["sim", "--genesis", "absent.toml", "--scenario", Self.scenario], in: directory)
        #expect(missing.status != 0 && missing.stderr.contains("cannot read the genesis file absent.toml"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/sim-out"), "nothing written on a refusal")
    }
}
