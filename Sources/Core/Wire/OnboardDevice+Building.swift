extension OnboardDevice {
    /// An onboarding of `device` as a `kind`, attested by `maker`, with an optional asserted
    /// location and payout address.
    public init(
        device: PublicKey, kind: DeviceKind, maker: PublicKey, latitude: Double? = nil, longitude: Double? = nil,
        payoutAddress: String? = nil, antennaGainDbi: Double = 0, elevationM: Double = 0
    ) {
        self.init()
        self.device = device.rawRepresentation
        self.kind = kind
        self.maker = maker.rawRepresentation
        if let latitude, let longitude {
            location.lat = latitude
            location.lng = longitude
        }
        if let payoutAddress { self.payoutAddress = payoutAddress }
        self.antennaGainDbi = antennaGainDbi
        self.elevationM = elevationM
    }
}
