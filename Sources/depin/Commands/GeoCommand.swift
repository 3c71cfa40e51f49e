import ArgumentParser
import Core
import Geo

/// `depin geo`: H3 cells for people and scripts.
struct GeoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geo", abstract: "H3 cells: inspect an index, measure distances.",
        subcommands: [Info.self, Distance.self])

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe an H3 cell: resolution, base cell, parent, children.")
        @Argument(help: "The cell's hex string, e.g. 89283082803ffff.") var cell: String

        func run() async throws {
            let parsed: H3Cell
            do { parsed = try H3Cell(parsing: cell) } catch { throw CLIError(error.description) }
            print("cell: \(parsed)")
            print("resolution: \(parsed.resolution)")
            print("base cell: \(parsed.baseCell)")
            print("pentagon: \(parsed.isPentagon ? "yes" : "no")")
            if parsed.resolution > 0 { print("parent: \(try parsed.parent(at: parsed.resolution - 1))") }
            if parsed.resolution < H3Cell.maxResolution {
                let children = try parsed.children(at: parsed.resolution + 1)
                print("children: \(children.map(\.description).joined(separator: " "))")
            }
        }
    }

    struct Distance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Great-circle distance between two points, in km and m.")
        @Argument(help: "LAT1") var lat1: Double
        @Argument(help: "LNG1") var lng1: Double
        @Argument(help: "LAT2") var lat2: Double
        @Argument(help: "LNG2") var lng2: Double

        func run() async throws {
            for (value, name, limit) in [(lat1, "LAT1", 90.0), (lng1, "LNG1", 180.0), (lat2, "LAT2", 90.0), (lng2, "LNG2", 180.0)]
            where !value.isFinite || abs(value) > limit {
                throw CLIError("\(name) must be a number within ±\(Int(limit)) degrees")
            }
            let km = GreatCircle.kilometres(lat1: lat1, lng1: lng1, lat2: lat2, lng2: lng2)
            print("\(km) km")
            print("\(km * 1000) m")
        }
    }
}
