import Foundation
import Geo
import Mapping

/// What the map routes answer, as JSON.
enum MapViews {
    /// A GeoJSON FeatureCollection of mapped cells (RFC 7946), with the epoch it reflects and
    /// what the query cost as foreign members.
    struct Coverage: Encodable {
        var type = "FeatureCollection"
        var epoch: Int64?
        var creditsCharged: Int64
        var features: [Feature]
    }

    struct Feature: Encodable {
        var type = "Feature"
        var id: String
        var geometry: Polygon
        var properties: CellProperties
    }

    struct Polygon: Encodable {
        var type = "Polygon"
        /// One closed ring, [longitude, latitude] pairs, counter-clockwise.
        var coordinates: [[[Double]]]

        init(_ cell: H3Cell) {
            var ring = cell.boundary.map { [Self.round($0.longitude), Self.round($0.latitude)] }
            if let first = ring.first { ring.append(first) }
            coordinates = [ring]
        }

        static func round(_ degrees: Double) -> Double { (degrees * 1e7).rounded() / 1e7 }
    }

    struct CellProperties: Encodable {
        var cell: String
        var mappedMs: Int64
        var ageS: Int64
        /// 1 just mapped, falling to 0 at the end of the freshness window.
        var freshness: Double
        var mapper: String
    }

    struct Frames: Encodable {
        var cell: String
        var epoch: Int64
        var mappedMs: Int64
        var mapper: String
        var creditsCharged: Int64
        var frames: [Frame]
    }

    struct Frame: Encodable {
        var sha256: String
        var lat: Double
        var lng: Double
        var timestampMs: Int64
        /// Whether the image is in the node's content store.
        var uploaded: Bool
        var url: String
    }

    struct RegionProgress: Encodable {
        var region: String
        var resolution: Int
        var epochs: [EpochProgress]
    }

    struct EpochProgress: Encodable {
        var epoch: Int64
        var endMs: Int64
        var knownCells: Int
        var freshCells: Int
        /// Fresh over known, 0 to 1.
        var progress: Double
        /// The MIP-7 multiplier that progress earns, as a decimal string.
        var multiplier: String
    }

    struct Bounty: Encodable {
        var id: String
        var account: String
        var area: String
        var credits: String
        var firstEpoch: Int64
        var epochs: Int64
        var createdMs: Int64
        var refunded: String
        var active: Bool
    }
}
