import ArgumentParser
import Core
import Foundation
import Geo

/// `depin geo`: H3 cells for people and scripts.
struct GeoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geo", abstract: "H3 cells: inspect an index, measure distances.",
        subcommands: [Cell.self, Info.self, Distance.self])

    struct Cell: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The H3 cell of a point; with no coordinates, one cell per 'lat,lng' line of standard input.")
        @Option(name: .long, help: "Resolution, 0 to 15.") var res = 9
        @Argument(parsing: .allUnrecognized, help: "LAT LNG in degrees (negative values welcome).")
        var coordinates: [String] = []

        func run() async throws {
            let numbers = try GeoCommand.degrees(coordinates, count: 2, names: ["LAT", "LNG"], allowNone: true)
            if numbers.count == 2 {
                let (lat, lng) = (numbers[0], numbers[1])
                do { print(try H3Cell(latitude: lat, longitude: lng, resolution: res)) } catch {
                    throw CLIError(error.description)
                }
                return
            }
            guard (0...H3Cell.maxResolution).contains(res) else {
                throw CLIError("invalid_resolution: resolution is between 0 and 15, got \(res)")
            }
            try CellStream(resolution: res).run()
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe an H3 cell: resolution, centre, boundary, area, parent, neighbours, children.")
        @Argument(help: "The cell's hex string, e.g. 89283082803ffff.") var cell: String
        @Flag(name: .long, help: "Print one JSON object instead of text.") var json = false

        func run() async throws {
            let parsed: H3Cell
            do { parsed = try H3Cell(parsing: cell) } catch { throw CLIError(error.description) }
            let center = parsed.center
            let parent = parsed.resolution > 0 ? try parsed.parent(at: parsed.resolution - 1).description : nil
            let children = parsed.resolution < H3Cell.maxResolution
                ? try parsed.children(at: parsed.resolution + 1).map(\.description) : []
            let boundary = parsed.boundary
            if json {
                let object: [String: Any] = [
                    "cell": parsed.description, "resolution": parsed.resolution, "base_cell": parsed.baseCell,
                    "pentagon": parsed.isPentagon, "center": [center.latitude, center.longitude],
                    "boundary": boundary.map { [$0.latitude, $0.longitude] },
                    "area_km2": parsed.areaKm2, "area_m2": parsed.areaM2, "parent": parent ?? NSNull(),
                    "neighbors": parsed.neighbors.map(\.description), "children": children,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("cell: \(parsed)")
            print("resolution: \(parsed.resolution)")
            print("base cell: \(parsed.baseCell)")
            print("pentagon: \(parsed.isPentagon ? "yes" : "no")")
            print("centre: \(center.latitude), \(center.longitude)")
            print("boundary: \(boundary.map { "\($0.latitude), \($0.longitude)" }.joined(separator: "; "))")
            print("area: \(parsed.areaKm2) km² (\(parsed.areaM2) m²)")
            if let parent { print("parent: \(parent)") }
            print("neighbours: \(parsed.neighbors.map(\.description).joined(separator: " "))")
            if !children.isEmpty { print("children: \(children.joined(separator: " "))") }
        }
    }

    struct Distance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Great-circle distance between two points, in km and m.")
        @Argument(parsing: .allUnrecognized, help: "LAT1 LNG1 LAT2 LNG2 in degrees.") var coordinates: [String] = []

        func run() async throws {
            let numbers = try GeoCommand.degrees(
                coordinates, count: 4, names: ["LAT1", "LNG1", "LAT2", "LNG2"], allowNone: false)
            let (lat1, lng1, lat2, lng2) = (numbers[0], numbers[1], numbers[2], numbers[3])
            let km = GreatCircle.kilometres(lat1: lat1, lng1: lng1, lat2: lat2, lng2: lng2)
            print("\(km) km")
            print("\(km * 1000) m")
        }
    }

    /// Reads coordinate arguments (latitudes within ±90°, longitudes within ±180°).
    static func degrees(_ texts: [String], count: Int, names: [String], allowNone: Bool) throws -> [Double] {
        if texts.isEmpty && allowNone { return [] }
        guard texts.count == count else {
            throw CLIError("expected \(names.joined(separator: " ")), got \(texts.count) value(s)")
        }
        return try zip(texts, names).map { text, name in
            let limit = name.hasPrefix("LAT") ? 90.0 : 180.0
            guard let value = Double(text), value.isFinite, abs(value) <= limit else {
                throw CLIError("\(name) must be a number within ±\(Int(limit)) degrees, got '\(text)'")
            }
            return value
        }
    }
}
