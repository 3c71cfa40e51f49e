extension DeviceKind {
    /// Every kind a device can be, with its name.
    public static let allNamed: [DeviceKind] = [.hotspot, .renderNode, .storageNode, .dashcam, .vehicle, .meter]

    /// The kind's name as the CLI, the genesis and the JSON API write it.
    public var name: String {
        switch self {
        case .hotspot: "hotspot"
        case .renderNode: "render-node"
        case .storageNode: "storage-node"
        case .dashcam: "dashcam"
        case .vehicle: "vehicle"
        case .meter: "meter"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }

    /// The kind called `name`, if any.
    public init?(name: String) {
        guard let kind = Self.allNamed.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// Whether onboarding must assert a location (coverage is about where the radio is).
    public var needsAssertedLocation: Bool { self == .hotspot }
}
