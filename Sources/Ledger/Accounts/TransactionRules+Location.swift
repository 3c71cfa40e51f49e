import Core
import Foundation

extension TransactionRules {
    /// Checks an AssertLocation: the signer owns the device, the location and antenna are
    /// plausible. Returns the moved device and the fee in credits (the device's service's
    /// `assert_location_fee_credits`, 0 when the genesis sets none).
    func relocation(
        _ assert: AssertLocation, owner: Address, view: any LedgerView, nowMs: Int64
    ) throws -> (device: DeviceRecord, fee: Amount) {
        let key = try Self.publicKey(assert.device, "device")
        guard var device = try view.device(key) else {
            throw TransactionError(.unknownDevice, "no device \(key) is registered")
        }
        guard device.owner == owner else {
            throw TransactionError(.notOwner, "\(owner) does not own device \(key)")
        }
        guard assert.hasLocation else {
            throw TransactionError(.locationRequired, "an assertion needs a location")
        }
        try Self.place(&device, at: assert.location, gain: assert.antennaGainDbi, elevation: assert.elevationM)
        device.locationReassertedMs = nowMs
        var fee = Amount.zero
        if let service = genesis.services.first(where: { $0.kinds.contains(device.kind) }),
            case .integer(let credits)? = service.parameters["assert_location_fee_credits"]?.value, credits > 0
        {
            fee = Amount(UInt128(credits))
        }
        return (device, fee)
    }

    /// Sets a device's location and antenna after checking them: coordinates on the globe, gain
    /// within −10…30 dBi, height within 0…1000 m.
    static func place(_ device: inout DeviceRecord, at fix: LocationFix, gain: Double, elevation: Double) throws {
        guard fix.lat.isFinite, fix.lng.isFinite, abs(fix.lat) <= 90, abs(fix.lng) <= 180 else {
            throw TransactionError(.invalidLocation, "latitude is within ±90 and longitude within ±180 degrees")
        }
        guard gain.isFinite, (-10...30).contains(gain) else {
            throw TransactionError(.invalidLocation, "antenna gain is within -10 to 30 dBi, got \(gain)")
        }
        guard elevation.isFinite, (0...1_000).contains(elevation) else {
            throw TransactionError(.invalidLocation, "antenna elevation is within 0 to 1000 m, got \(elevation)")
        }
        device.latitude = fix.lat
        device.longitude = fix.lng
        device.antennaGainDbi = gain
        device.elevationM = elevation
    }
}
