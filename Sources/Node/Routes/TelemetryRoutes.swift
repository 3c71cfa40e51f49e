import Core
import Foundation
import Hummingbird
import JWTKit
import Ledger
import Store
import Telemetry

/// Developers' access to vehicles' and meters' telemetry. An owner grants an account privileges
/// on a device (a signed `GrantAccess` transaction); the account exchanges its signed request for
/// an access token (a JWT, HS256 under the node's secret, valid 10 minutes and never past the
/// grant); with the token it reads `GET /v1/telemetry/{device}`, paying `credits_per_query`
/// credits that become the device's usage. A read is checked against the grant as it stands:
/// a revoked, expired or transferred grant stops the token at once.
struct TelemetryRoutes {
    let state: NodeState
    /// How long a token lives.
    static let tokenMs: Int64 = 600_000

    /// The token's claims.
    struct Claims: JWTPayload {
        /// The device.
        var sub: SubjectClaim
        /// The grantee.
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var privileges: [String]

        /// Expiry is checked against the node's clock, after the signature.
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    struct GrantView: Encodable {
        var grantee: String
        var privileges: [String]
        var expiresMs: Int64
        var grantedMs: Int64
        var active: Bool
    }

    struct Issued: Encodable {
        var token: String
        var expiresMs: Int64
        var privileges: [String]
    }

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/telemetry/tokens") { request, _ in try await issue(request) }
        router.get("/v1/telemetry/{device}") { request, context in
            try await read(context.parameters.get("device") ?? "", request: request)
        }
        router.get("/v1/telemetry/{device}/grants") { _, context in
            let device = try LedgerRoutes.address(context.parameters.get("device") ?? "")
            let now = state.clock.nowMs()
            return try JSONBody.response(
                try await state.store.grants(device: device.publicKey).map {
                    GrantView(
                        grantee: $0.grantee.description, privileges: $0.privileges.sorted().map(\.rawValue), expiresMs: $0.expiresMs,
                        grantedMs: $0.grantedMs, active: $0.expiresMs > now)
                })
        }
    }

    func issue(_ request: Request) async throws -> Response {
        let body = try await WireBody.collect(request, limit: 4_096)
        guard let signed = try? JSONDecoder().decode(TelemetryTokenRequest.self, from: Data(body.readableBytesView)) else {
            throw NodeError.coded(
                "malformed_request", "send {\"device\": ADDRESS, \"grantee\": ADDRESS, \"timestamp_ms\": MS, \"signature\": HEX}")
        }
        let now = state.clock.nowMs()
        let (device, grantee) = try Self.unwrap(signed.verify(nowMs: now))
        try state.throttle(account: grantee)
        let grant = try await activeGrant(device: device, grantee: grantee, now: now)
        let expires = min(now + Self.tokenMs, grant.expiresMs)
        let privileges = grant.privileges.sorted().map(\.rawValue)
        let claims = Claims(
            sub: SubjectClaim(value: device.description), aud: AudienceClaim(value: grantee.description),
            exp: ExpirationClaim(value: Date(timeIntervalSince1970: Double(expires) / 1_000)),
            iat: IssuedAtClaim(value: Date(timeIntervalSince1970: Double(now) / 1_000)), privileges: privileges)
        let token = try await keys().sign(claims)
        return try JSONBody.response(Issued(token: token, expiresMs: expires, privileges: privileges), status: .created)
    }

    func read(_ text: String, request: Request) async throws -> Response {
        let device = try LedgerRoutes.address(text)
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw NodeError(.unauthorized, "missing_token", "send Authorization: Bearer TOKEN (POST /v1/telemetry/tokens)")
        }
        let claims: Claims
        do { claims = try await keys().verify(String(header.dropFirst("Bearer ".count)), as: Claims.self) } catch {
            throw NodeError(.unauthorized, "bad_token", "the token is not one this node issued")
        }
        let now = state.clock.nowMs()
        guard Int64(claims.exp.value.timeIntervalSince1970 * 1_000) > now else {
            throw NodeError(.unauthorized, "token_expired", "the token has expired; ask for another")
        }
        guard claims.sub.value == device.description, let grantee = claims.aud.value.first.flatMap({ try? Address(parsing: $0) }) else {
            throw NodeError(.forbidden, "token_for_another_device", "the token is for \(claims.sub.value), not \(device)")
        }
        let grant = try await activeGrant(device: device, grantee: grantee, now: now)
        let allowed = grant.privileges.intersection(claims.privileges.compactMap(TelemetryPrivilege.init(rawValue:)))
        var wanted = allowed
        if let fields = request.uri.queryParameters.get("fields") {
            wanted = []
            for name in fields.split(separator: ",") {
                guard let privilege = TelemetryPrivilege(rawValue: String(name)) else {
                    throw NodeError.coded(
                        "unknown_privilege",
                        "\(name) is not a privilege; one of \(TelemetryPrivilege.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard allowed.contains(privilege) else {
                    throw NodeError(.forbidden, "missing_privilege", "the grant does not include \(privilege.rawValue)")
                }
                wanted.insert(privilege)
            }
        }
        if let telemetry = state.telemetry, telemetry.parameters.creditsPerQuery > 0 {
            do {
                try await state.store.chargeQuery(
                    account: grantee, service: telemetry.name, epoch: state.genesis.epochs.epoch(ofMs: now),
                    earned: [(device.publicKey, telemetry.parameters.creditsPerQuery)], reference: "telemetry \(device)", nowMs: now)
            } catch let error as TransactionError {
                throw NodeError.paymentRequired(error.code.rawValue, error.message)
            }
        }
        let reports = try await state.store.reports(device: device.publicKey, limit: 200).compactMap { try? Report(wireBytes: $0.bytes) }
        return try JSONBody.response(TelemetrySnapshot(device: device, reports: reports, privileges: wanted))
    }

    /// The grant, when it exists and has not expired.
    func activeGrant(device: Address, grantee: Address, now: Int64) async throws -> AccessGrant {
        guard let grant = try await state.store.grant(device: device.publicKey, grantee: grantee) else {
            throw NodeError(.forbidden, "no_grant", "\(grantee) holds no grant on \(device) (never granted, revoked, or the device changed hands)")
        }
        guard grant.expiresMs > now else { throw NodeError(.forbidden, "grant_expired", "the grant on \(device) expired") }
        return grant
    }

    /// The node's token keys.
    func keys() async throws -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: try await state.store.tokenSecret()), digestAlgorithm: .sha256)
        return keys
    }

    static func unwrap<T>(_ result: Result<T, TelemetryAccessError>) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let error): throw NodeError.coded(error.code, error.message)
        }
    }
}
