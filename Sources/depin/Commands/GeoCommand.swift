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
            var output = ""
            output.reserveCapacity(1 << 16)
            var lineNumber = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                if line.isEmpty { continue }
                let parts = line.split(separator: ",", maxSplits: 1)
                guard parts.count == 2,
                    let latitude = Double(parts[0].trimmingCharacters(in: .whitespaces)),
                    let longitude = Double(parts[1].trimmingCharacters(in: .whitespaces))
                else { throw CLIError("line \(lineNumber): expected 'lat,lng', got '\(line)'") }
                do {
                    output += try H3Cell(latitude: latitude, longitude: longitude, resolution: res).description
                } catch {
                    throw CLIError("line \(lineNumber): \(error.description)")
                }
                output += "\n"
                if output.utf8.count >= 1 << 16 {
                    FileHandle.standardOutput.write(Data(output.utf8))
                    output.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
    }

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
            let center = parsed.center
            print("centre: \(center.latitude), \(center.longitude)")
            if parsed.resolution > 0 { print("parent: \(try parsed.parent(at: parsed.resolution - 1))") }
            print("neighbours: \(parsed.neighbors.map(\.description).joined(separator: " "))")
            if parsed.resolution < H3Cell.maxResolution {
                let children = try parsed.children(at: parsed.resolution + 1)
                print("children: \(children.map(\.description).joined(separator: " "))")
            }
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
