import Foundation
import Geo
import Testing

/// gridDisk and gridDistance against the reference library (scripts/h3-vectors.py).
@Suite struct GridVectorTests {
    struct Vectors: Decodable {
        var disks: [[AnyCodableNumberOrStringOrList]]
        var distances: [[AnyCodableNumberOrStringOrList]]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/h3-grid.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    @Test func disksMatchTheReference() throws {
        var mismatches: [String] = []
        for row in Self.vectors.disks {
            let cell = try H3Cell(parsing: row[0].text)
            let disk = try cell.disk(radius: Int(row[1].number)).map(\.description)
            if disk != row[2].list { mismatches.append("\(cell) k=\(Int(row[1].number)): \(disk.count) vs \(row[2].list.count)") }
        }
        #expect(Self.vectors.disks.count == 80)
        #expect(mismatches.isEmpty, "\(mismatches.count): \(mismatches.prefix(6))")
    }

    @Test func distancesMatchTheReference() throws {
        for row in Self.vectors.distances {
            let a = try H3Cell(parsing: row[0].text)
            let b = try H3Cell(parsing: row[1].text)
            #expect(try a.distance(to: b) == Int(row[2].number), "\(a) → \(b)")
        }
    }

    @Test func pentagonsHaveFiveNeighbors() throws {
        let pentagon = try H3Cell(parsing: "8009fffffffffff")
        #expect(pentagon.isPentagon)
        #expect(pentagon.neighbors.count == 5)
        #expect(try H3Cell(parsing: "89283082803ffff").neighbors.count == 6)
    }
}

/// A JSON value that is a number, a string or a list of strings.
struct AnyCodableNumberOrStringOrList: Decodable {
    var number: Double = 0
    var text: String = ""
    var list: [String] = []

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            number = value
        } else if let value = try? container.decode(String.self) {
            text = value
        } else {
            list = try container.decode([String].self)
        }
    }
}
