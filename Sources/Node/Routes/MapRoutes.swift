import Core
import Foundation
import Geo
import Hummingbird
import Ledger
import Mapping
import Store

/// The mapping network's customer side. Map queries are paid: a customer authenticates with one
/// of its access keys (`Authorization: Bearer ID:SECRET`), each query takes credits as it is
/// served (`credits_per_coverage_cell`, `credits_per_frames_query`), and those credits are the
/// usage of the dashcams that mapped the cells served. The map is the one the last closed epoch
/// left. Map progress and bounties are free to read.
struct MapRoutes {
    let state: NodeState
    /// The widest bounding box a coverage query may ask, degrees of latitude or longitude.
    static let maxBoxDegrees = 0.5
    /// The most cells one coverage answer holds.
    static let maxCells = 10_000

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/map/coverage") { request, _ in try await coverage(request) }
        router.get("/v1/map/frames") { request, _ in try await frames(request) }
        router.get("/v1/map/regions/{cell}") { request, context in
            try await progress(region: context.parameters.get("cell") ?? "", request: request)
        }
        router.get("/v1/map/bounties") { request, _ in try await bounties(request) }
    }

    private var service: MappingService {
        get throws {
            guard let mapping = state.mapping else {
                throw NodeError(.notFound, "no_mapping_service", "this network runs no mapping service")
            }
            return mapping
        }
    }

    func coverage(_ request: Request) async throws -> Response {
        let mapping = try service
        let customer = try await customer(request)
        let box = try Self.boundingBox(request.uri.queryParameters.get("bbox"))
        guard let epoch = try await state.store.lastClosedEpoch() else {
            return try JSONBody.response(MapViews.Coverage(epoch: nil, creditsCharged: 0, features: []))
        }
        let map = try await state.maps.map(mapping.name, epoch: epoch, store: state.store)
        var inside: [(H3Cell, MapState.Cell)] = []
        for (index, mapped) in map.cells {
            guard let cell = try? H3Cell(index: index) else { continue }
            let center = cell.center
            if center.latitude >= box.south, center.latitude <= box.north, center.longitude >= box.west,
                center.longitude <= box.east
            {
                inside.append((cell, mapped))
            }
        }
        guard inside.count <= Self.maxCells else {
            throw NodeError.coded("bbox_too_large", "the box holds \(inside.count) mapped cells; ask for at most \(Self.maxCells)")
        }
        inside.sort { $0.0.index < $1.0.index }
        let price = mapping.parameters.creditsPerCoverageCell
        let charged = try await charge(
            customer, parts: inside.map { ($0.1.mapper, price) }, reference: "map coverage \(box.text)")
        let now = state.clock.nowMs()
        let window = Double(mapping.parameters.freshnessSeconds * 1_000)
        let features = inside.map { cell, mapped in
            let age = max(now - mapped.mappedMs, 0)
            return MapViews.Feature(
                id: cell.description, geometry: MapViews.Polygon(cell),
                properties: MapViews.CellProperties(
                    cell: cell.description, mappedMs: mapped.mappedMs, ageS: age / 1_000,
                    freshness: (max(0, 1 - Double(age) / window) * 1_000).rounded() / 1_000, mapper: mapped.mapper.description))
        }
        return try JSONBody.response(MapViews.Coverage(epoch: epoch, creditsCharged: charged, features: features))
    }

    func frames(_ request: Request) async throws -> Response {
        let mapping = try service
        let customer = try await customer(request)
        guard let text = request.uri.queryParameters.get("cell") else {
            throw NodeError.coded("missing_cell", "name the road cell: ?cell=H3 (resolution \(mapping.parameters.cellResolution))")
        }
        let cell: H3Cell
        do { cell = try H3Cell(parsing: String(text)) } catch { throw NodeError.coded("invalid_cell", error.message) }
        guard cell.resolution == mapping.parameters.cellResolution else {
            throw NodeError.coded(
                "invalid_cell", "road cells are resolution \(mapping.parameters.cellResolution); \(cell) is \(cell.resolution)")
        }
        guard let epoch = try await state.store.lastClosedEpoch(),
            let mapped = try await state.maps.map(mapping.name, epoch: epoch, store: state.store).cells[cell.index]
        else {
            throw NodeError(.notFound, "cell_not_mapped", "no closed epoch has mapped \(cell)")
        }
        let charged = try await charge(
            customer, parts: [(mapped.mapper, mapping.parameters.creditsPerFramesQuery)], reference: "map frames \(cell)")
        let frames = mapped.frames.reversed().map { frame in
            let sha = frame.sha256.hexString
            return MapViews.Frame(
                sha256: sha, lat: frame.lat, lng: frame.lng, timestampMs: frame.timestampMs, uploaded: state.content.contains(sha),
                url: "/v1/content/\(sha)")
        }
        return try JSONBody.response(
            MapViews.Frames(
                cell: cell.description, epoch: epoch, mappedMs: mapped.mappedMs, mapper: mapped.mapper.description,
                creditsCharged: charged, frames: frames))
    }

    func progress(region text: String, request: Request) async throws -> Response {
        let mapping = try service
        let region: H3Cell
        do { region = try H3Cell(parsing: text) } catch { throw NodeError.coded("invalid_cell", error.message) }
        guard region.resolution < mapping.parameters.cellResolution else {
            throw NodeError.coded(
                "invalid_cell", "a region is a cell coarser than the road cells (resolution below \(mapping.parameters.cellResolution))")
        }
        let count = try Self.integer(request.uri.queryParameters.get("epochs"), name: "epochs", default: 10, range: 1...100)
        var epochs: [MapViews.EpochProgress] = []
        let window = mapping.parameters.freshnessSeconds * 1_000
        for summary in try await state.store.epochs(limit: count).reversed() {
            let map = try await MapCache.load(mapping.name, epoch: summary.epoch, store: state.store)
            let standing =
                MapProgress(map, resolution: region.resolution, nowMs: summary.endMs, freshnessMs: window).regions[region.index]
                ?? MapProgress.Region(known: 0, fresh: 0)
            epochs.append(
                MapViews.EpochProgress(
                    epoch: summary.epoch, endMs: summary.endMs, knownCells: standing.known, freshCells: standing.fresh,
                    progress: Double(standing.permille) / 1_000, multiplier: Permille.decimal(standing.multiplier)))
        }
        return try JSONBody.response(MapViews.RegionProgress(region: region.description, resolution: region.resolution, epochs: epochs))
    }

    func bounties(_ request: Request) async throws -> Response {
        let mapping = try service
        let current = state.genesis.epochs.epoch(ofMs: state.clock.nowMs())
        let activeOnly = request.uri.queryParameters.get("active") == "true"
        let limit = try Self.integer(request.uri.queryParameters.get("limit"), name: "limit", default: 100, range: 1...1_000)
        let records = try await state.store.bounties(service: mapping.name, inForce: activeOnly ? current : nil, limit: limit)
        return try JSONBody.response(
            records.map { bounty in
                MapViews.Bounty(
                    id: bounty.id, account: bounty.account.description, area: bounty.area, credits: bounty.credits.description,
                    firstEpoch: bounty.firstEpoch, epochs: bounty.epochs, createdMs: bounty.createdMs,
                    refunded: bounty.refunded.description,
                    active: bounty.firstEpoch <= current && current < bounty.firstEpoch + bounty.epochs)
            })
    }

    /// The account whose access key signs in the request (`Authorization: Bearer ID:SECRET`).
    func customer(_ request: Request) async throws -> Address {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw NodeError(
                .unauthorized, "missing_access_key",
                "map queries are paid: send Authorization: Bearer ACCESS_KEY_ID:SECRET (depin storage access-key create)")
        }
        let token = header.dropFirst("Bearer ".count)
        guard let colon = token.firstIndex(of: ":") else {
            throw NodeError(.unauthorized, "bad_access_key", "the bearer token is ACCESS_KEY_ID:SECRET")
        }
        let id = String(token[..<colon])
        let secret = Array(token[token.index(after: colon)...].utf8)
        guard let key = try await state.store.accessKey(id: id), Self.same(Array(key.secret.utf8), secret) else {
            throw NodeError(.unauthorized, "bad_access_key", "no such access key, or the secret does not match")
        }
        return key.account
    }

    /// Takes the credits for a query, each part as the usage of the dashcam named; 402 when the
    /// account's credits are short.
    func charge(_ account: Address, parts: [(Address, Int64)], reference: String) async throws -> Int64 {
        var byDevice: [Address: Int64] = [:]
        for (device, credits) in parts where credits > 0 { byDevice[device, default: 0] += credits }
        let total = byDevice.values.reduce(0, +)
        guard total > 0 else { return 0 }
        let now = state.clock.nowMs()
        do {
            try await state.store.chargeQuery(
                account: account, service: try service.name, epoch: state.genesis.epochs.epoch(ofMs: now),
                earned: byDevice.sorted { $0.key < $1.key }.map { ($0.key.publicKey, $0.value) }, reference: reference,
                nowMs: now)
        } catch let error as TransactionError {
            throw NodeError.paymentRequired(error.code.rawValue, error.message)
        }
        return total
    }

    /// `west,south,east,north` in degrees.
    static func boundingBox(_ text: String?) throws -> (west: Double, south: Double, east: Double, north: Double, text: String) {
        guard let text else { throw NodeError.coded("missing_bbox", "name the box: ?bbox=WEST,SOUTH,EAST,NORTH in degrees") }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let west = parts[0], let south = parts[1], let east = parts[2], let north = parts[3],
            (-180...180).contains(west), (-180...180).contains(east), (-90...90).contains(south), (-90...90).contains(north),
            west < east, south < north
        else {
            throw NodeError.coded(
                "invalid_bbox", "bbox is WEST,SOUTH,EAST,NORTH in degrees, west below east and south below north")
        }
        guard east - west <= maxBoxDegrees, north - south <= maxBoxDegrees else {
            throw NodeError.coded("bbox_too_large", "a box spans at most \(maxBoxDegrees)° each way")
        }
        return (west, south, east, north, String(text))
    }

    static func integer(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw NodeError.coded("invalid_\(name)", "\(name) is a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// Compares secrets in time that does not depend on where they differ.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
