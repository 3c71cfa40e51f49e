import Core
import Foundation

extension TransactionRules {
    /// The longest a grant may run: a year.
    public static let maxGrantMs: Int64 = 365 * 86_400_000

    /// Checks a grant: the signer owns the device, a vehicle or meter; the grantee is an address;
    /// the privileges are known and at least one; it ends in the future, within a year.
    func grant(_ grant: GrantAccess, owner: Address, view: any LedgerView, nowMs: Int64) throws -> AccessGrant {
        let device = try ownedTelemetryDevice(grant.device, owner: owner, view: view)
        let grantee: Address
        do { grantee = try Address(parsing: grant.grantee) } catch {
            throw TransactionError(.invalidAddress, "grantee: \(error.message)")
        }
        var privileges: Set<TelemetryPrivilege> = []
        for name in grant.privileges {
            guard let privilege = TelemetryPrivilege(rawValue: name) else {
                throw TransactionError(
                    .invalidGrant,
                    "unknown privilege \(name); one of \(TelemetryPrivilege.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            privileges.insert(privilege)
        }
        guard !privileges.isEmpty else { throw TransactionError(.invalidGrant, "a grant names at least one privilege") }
        guard grant.expiresMs > nowMs, grant.expiresMs <= nowMs + Self.maxGrantMs else {
            throw TransactionError(.invalidGrant, "a grant ends after now and within a year (expires_ms)")
        }
        return AccessGrant(device: device, grantee: grantee, privileges: privileges, expiresMs: grant.expiresMs, grantedMs: nowMs)
    }

    /// Checks a revocation: the signer owns the device and names a grantee.
    func revocation(_ revoke: RevokeAccess, owner: Address, view: any LedgerView) throws -> AccessGrant.Key {
        let device = try ownedTelemetryDevice(revoke.device, owner: owner, view: view)
        do { return AccessGrant.Key(device: device, grantee: try Address(parsing: revoke.grantee)) } catch {
            throw TransactionError(.invalidAddress, "grantee: \(error.message)")
        }
    }

    private func ownedTelemetryDevice(_ raw: Data, owner: Address, view: any LedgerView) throws -> PublicKey {
        let key = try Self.publicKey(raw, "device")
        guard let device = try view.device(key) else { throw TransactionError(.unknownDevice, "no device \(key) is registered") }
        guard device.owner == owner else { throw TransactionError(.notOwner, "\(owner) does not own device \(key)") }
        guard device.kind == .vehicle || device.kind == .meter else {
            throw TransactionError(.kindNotAllowed, "access grants are for vehicles and meters, not a \(device.kind.name)")
        }
        return key
    }
}
