import Foundation
import Geo
import Testing

/// cellToBoundary and cellArea against the reference library (scripts/h3-vectors.py).
@Suite struct BoundaryVectorTests {
    /// One cell's reference boundary and area.
    struct Row: Decodable {
        let cell: String
        let vertices: [[Double]]
        let radians2: Double
        let km2: Double
        let m2: Double

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            cell = try container.decode(String.self)
            vertices = try container.decode([[Double]].self)
            radians2 = try container.decode(Double.self)
            km2 = try container.decode(Double.self)
            m2 = try container.decode(Double.self)
        }
    }

    static let rows: [Row] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/h3-boundary.json")
        return try! JSONDecoder().decode([Row].self, from: Data(contentsOf: url))
    }()

    /// Same vertex count, same order, each vertex within 1e-12°.
    @Test func boundariesMatchVertexForVertex() throws {
        var mismatches: [String] = []
        for row in Self.rows {
            let boundary = try H3Cell(parsing: row.cell).boundary
            guard boundary.count == row.vertices.count else {
                mismatches.append("\(row.cell): \(boundary.count) vertices, reference has \(row.vertices.count)")
                continue
            }
            for (vertex, expected) in zip(boundary, row.vertices) {
                let degrees = GreatCircle.angle(
                    lat1: vertex.latitude, lng1: vertex.longitude, lat2: expected[0], lng2: expected[1]) * 180 / .pi
                if degrees > 1e-12 {
                    mismatches.append("\(row.cell): \(vertex) != \(expected)")
                    break
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.rows.count): \(mismatches.prefix(8))")
    }

    @Test func vectorsCoverFaceCrossingsAndPentagons() throws {
        #expect(Self.rows.contains { $0.vertices.count > 6 })
        #expect(Self.rows.contains { $0.vertices.count == 10 })
        #expect(Self.rows.filter { $0.vertices.count == 5 }.count >= 12 * 8)
        #expect(Self.rows.count >= 4_000)
    }

    /// Areas agree to one part in 10¹⁰ in every unit (the same formula and summation as the
    /// reference; only the last bits of the trigonometry can differ).
    @Test func areasMatch() throws {
        var mismatches: [String] = []
        for row in Self.rows {
            let cell = try H3Cell(parsing: row.cell)
            for (name, ours, theirs) in [
                ("rads²", cell.areaRadians2, row.radians2), ("km²", cell.areaKm2, row.km2), ("m²", cell.areaM2, row.m2),
            ] where abs(ours - theirs) > 1e-10 * theirs {
                mismatches.append("\(row.cell) \(name): \(ours) != \(theirs)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.rows.count): \(mismatches.prefix(8))")
    }

    /// The 122 base cells tile the sphere: their areas sum to 4π.
    @Test func baseCellsTileTheSphere() throws {
        let total = try (0..<H3Cell.baseCellCount).reduce(0.0) { sum, base in
            sum + (try H3Cell(index: 1 << 59 | UInt64(base) << 45 | (1 << 45 - 1))).areaRadians2
        }
        #expect(abs(total - 4 * .pi) < 1e-9)
    }
}
