import Foundation
import Geo
import Testing

/// The H3 index layer against the reference library (scripts/h3-vectors.py, the `h3` package).
@Suite struct H3CellVectorTests {
    struct Vectors: Decodable {
        struct CellCase: Decodable {
            var cell: String
            var resolution: Int
            var base_cell: Int
            var pentagon: Bool
            var parents: [String]
            var center_children: [String]
            var children_next: [String]
            var children_counts: [Int]
        }

        struct Distance: Decodable {
            var a: [Double]
            var b: [Double]
            var km: Double
            var m: Double
        }

        var cells: [CellCase]
        var invalid: [String]
        var distances: [Distance]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/h3-index.json")
        // The vectors are committed; a missing or broken file is a failing test, not a skip.
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    @Test func readsAndDescribesEveryReferenceCell() throws {
        #expect(Self.vectors.cells.count > 2_000)
        for vector in Self.vectors.cells {
            let cell = try H3Cell(parsing: vector.cell)
            #expect(cell.description == vector.cell)
            #expect(cell.resolution == vector.resolution)
            #expect(cell.baseCell == vector.base_cell)
            #expect(cell.isPentagon == vector.pentagon, "\(vector.cell)")
            #expect(try (0..<cell.resolution).map { try cell.parent(at: $0).description } == vector.parents)
            let centers = try (cell.resolution + 1..<min(cell.resolution + 3, 16)).map { try cell.centerChild(at: $0).description }
            #expect(centers == vector.center_children)
            let counts = try (cell.resolution..<min(cell.resolution + 4, 16)).map { try cell.childrenCount(at: $0) }
            #expect(counts == vector.children_counts, "\(vector.cell)")
            if !vector.children_next.isEmpty {
                #expect(try cell.children(at: cell.resolution + 1).map(\.description) == vector.children_next)
            }
        }
    }

    @Test func thereAre122BaseCellsAnd12Pentagons() throws {
        let bases = Self.vectors.cells.filter { $0.resolution == 0 }
        #expect(bases.count == 122)
        #expect(bases.filter(\.pentagon).count == 12)
    }

    @Test func refusesWhatIsNotACell() {
        for text in Self.vectors.invalid {
            #expect(throws: GeoError.self, "\(text)") { try H3Cell(parsing: text) }
        }
        #expect(throws: GeoError.self) { try H3Cell(parsing: "89283082803ffff").parent(at: 10) }
        #expect(throws: GeoError.self) { try H3Cell(parsing: "89283082803ffff").children(at: 16) }
    }

    @Test func greatCircleDistancesMatch() {
        for vector in Self.vectors.distances {
            let km = GreatCircle.kilometres(lat1: vector.a[0], lng1: vector.a[1], lat2: vector.b[0], lng2: vector.b[1])
            #expect(abs(km - vector.km) < 1e-9 * max(1, vector.km))
            let m = GreatCircle.metres(lat1: vector.a[0], lng1: vector.a[1], lat2: vector.b[0], lng2: vector.b[1])
            #expect(abs(m - vector.m) < 1e-6 * max(1, vector.m))
        }
    }
}
