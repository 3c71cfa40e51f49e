import Core
import Foundation
import Geo
import Ledger
import Rewards
import Store

/// Devices and coverage drawn as H3 hexagons in SVG, from Geo's cell boundaries: aggregated to
/// the resolution asked for (coarser when there would be too many cells), coloured by service,
/// by the last epoch's rewards or by freshness. A hex links to its own devices.
struct MapPage: Encodable {
    struct Hex: Encodable {
        var cell: String
        var devices: Int
        var online: Int
        var services: [String: Int]
        var rewards: Amount
        var boundary: [[Double]]
    }

    struct Listed: Encodable {
        var id: String
        var kind: String
        var online: Bool
    }

    var resolution: Int
    var color: String
    var hexes: [Hex]
    var selected: String?
    var selectedDevices: [Listed]

    static let maxHexes = 4_000

    static func load(_ state: NodeState, resolution asked: Int, color: String, selected: String?) async throws -> MapPage {
        let genesis = state.genesis
        let onlineSince = state.clock.nowMs() - ExplorerFormat.onlineWindowMs(genesis)
        var resolution = min(max(asked, 0), 12)
        var tallies = try await state.store.cellTallies(resolution: resolution, onlineSinceMs: onlineSince)
        // Coarser until the map stays drawable. Parents keep the order of the cells (a parent
        // only sets low bits), so counting them is one pass over the sorted cells.
        let cells = tallies.map(\.cell).sorted()
        func parents(at resolution: Int) -> Int {
            let bits = H3Cell.parentBits(resolution: resolution)
            var count = 0
            var last: UInt64?
            for cell in cells where cell & bits.keep | bits.set != last {
                last = cell & bits.keep | bits.set
                count += 1
            }
            return count
        }
        while resolution > 0 && parents(at: resolution) > maxHexes { resolution -= 1 }
        let bits = H3Cell.parentBits(resolution: resolution)
        for index in tallies.indices { tallies[index].cell = tallies[index].cell & bits.keep | bits.set }
        var rewards: [UInt64: Amount] = [:]
        if let latest = try await state.store.epochs(limit: 1).first {
            rewards = try await state.store.rewardsByCell(epoch: latest.epoch, resolution: resolution)
        }
        let serviceOf = Dictionary(genesis.services.flatMap { service in service.kinds.map { ($0, service.name) } }) { a, _ in a }
        var hexes: [UInt64: Hex] = [:]
        for tally in tallies {
            var hex = hexes[tally.cell] ?? Hex(cell: "", devices: 0, online: 0, services: [:], rewards: .zero, boundary: [])
            hex.devices += tally.devices
            hex.online += tally.online
            hex.services[serviceOf[tally.kind] ?? tally.kind.name, default: 0] += tally.devices
            hexes[tally.cell] = hex
        }
        // A hex where devices earned in the last epoch shows its rewards even if they have moved since.
        for cell in rewards.keys where hexes[cell] == nil {
            hexes[cell] = Hex(cell: "", devices: 0, online: 0, services: [:], rewards: .zero, boundary: [])
        }
        let drawn = hexes.keys.sorted().compactMap { index -> Hex? in
            guard let cell = try? H3Cell(index: index), var hex = hexes[index] else { return nil }
            hex.cell = cell.description
            hex.rewards = rewards[index] ?? .zero
            hex.boundary = cell.boundary.map { [$0.latitude, $0.longitude] }
            return hex
        }
        var listed: [Listed] = []
        if let selected, let cell = try? H3Cell(parsing: selected) {
            listed = try await state.store.devices(in: cell.index, limit: maxListed).map {
                Listed(id: $0.key.address.description, kind: $0.kind.name, online: ($0.lastReportMs ?? 0) >= onlineSince)
            }
        }
        return MapPage(resolution: resolution, color: color, hexes: drawn, selected: selected, selectedDevices: listed)
    }

    /// The most devices listed for a clicked hex.
    static let maxListed = 500

    static let palette = ["#2f7ae5", "#e5532f", "#2fa56b", "#a34fd6", "#d6a52f", "#2fb8c9"]

    func html(_ genesis: Genesis) -> String {
        var body = "<h1>Map</h1><p>Resolution "
        body += (0...12).map { res in
            res == resolution ? "<b>\(res)</b>" : HTMLPage.link("/map?res=\(res)&color=\(color)", "\(res)")
        }.joined(separator: " ")
        body += " · colour by " + ["service", "rewards", "freshness"].map { name in
            name == color ? "<b>\(name)</b>" : HTMLPage.link("/map?res=\(resolution)&color=\(name)", name)
        }.joined(separator: " ") + "</p>"
        body += svg(genesis)
        let serviceNames = genesis.services.map(\.name)
        if color == "service" {
            body += "<p>" + serviceNames.enumerated().map {
                "<span style=\"color:\(Self.palette[$0.offset % Self.palette.count])\">■</span> \(HTMLPage.escape($0.element))"
            }.joined(separator: " &nbsp; ") + "</p>"
        }
        if let selected {
            body += "<h2>Devices in \(HTMLPage.escape(selected))</h2>" + HTMLPage.table(
                "hex-devices", headers: ["device", "kind", "status"],
                rows: selectedDevices.map {
                    [HTMLPage.link("/devices/\($0.id)", $0.id), HTMLPage.escape($0.kind), $0.online ? "online" : "offline"]
                })
        }
        return HTMLPage(title: "Map", body: body).html
    }

    private func svg(_ genesis: Genesis) -> String {
        let width = 1000.0
        let height = 640.0
        let points = hexes.flatMap(\.boundary)
        guard !points.isEmpty else { return "<p id=\"map-empty\">No located devices yet.</p>" }
        let minLat = points.map { $0[0] }.min()!, maxLat = points.map { $0[0] }.max()!
        let minLng = points.map { $0[1] }.min()!, maxLng = points.map { $0[1] }.max()!
        let squeeze = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max((maxLng - minLng) * squeeze, 1e-9)
        let spanY = max(maxLat - minLat, 1e-9)
        let scale = min((width - 20) / spanX, (height - 20) / spanY)
        func project(_ point: [Double]) -> String {
            String(format: "%.1f,%.1f", 10 + (point[1] - minLng) * squeeze * scale, 10 + (maxLat - point[0]) * scale)
        }
        let maxRewards = hexes.map { ExplorerFormat.tokenValue($0.rewards, genesis) }.max() ?? 0
        let serviceIndex = Dictionary(uniqueKeysWithValues: genesis.services.enumerated().map { ($0.element.name, $0.offset) })
        var out = "<svg id=\"map\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        out += "style=\"background:#fff;border-radius:10px\">"
        for hex in hexes {
            let fill: String
            var opacity = 0.75
            switch color {
            case "rewards":
                fill = "#2f7ae5"
                opacity = maxRewards > 0 ? 0.1 + 0.85 * ExplorerFormat.tokenValue(hex.rewards, genesis) / maxRewards : 0.1
            case "freshness":
                fill = hex.online == hex.devices ? "#2fa56b" : hex.online > 0 ? "#d6a52f" : "#9aa3ad"
            default:
                let dominant = hex.services.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
                fill = Self.palette[(serviceIndex[dominant] ?? 0) % Self.palette.count]
            }
            let link = "/map?res=\(resolution)&color=\(color)&cell=\(hex.cell)"
            out += "<a href=\"\(HTMLPage.escape(link))\"><polygon class=\"hex\" data-cell=\"\(hex.cell)\" data-devices=\"\(hex.devices)\" "
            out += "points=\"\(hex.boundary.map(project).joined(separator: " "))\" fill=\"\(fill)\" fill-opacity=\"\(String(format: "%.2f", opacity))\" "
            out += "stroke=\"#1b2330\" stroke-width=\"0.6\"><title>\(hex.cell): \(hex.devices) devices, \(hex.online) online</title></polygon></a>"
        }
        return out + "</svg>"
    }
}
