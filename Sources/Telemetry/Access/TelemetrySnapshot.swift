import Core
import Geo
import Ledger

/// What a developer reads of a device: only the parts its privileges allow, from the device's
/// newest reports. An approximate location is the centre of the H3 resolution-6 cell the device
/// is in, so the exact point never leaves.
public struct TelemetrySnapshot: Sendable, Encodable {
    public struct LiveData: Sendable, Encodable {
        var timestampMs: Int64
        var speedKph: Double?
        var rpm: Double?
        var coolantC: Double?
        var fuelPercent: Double?
        var odometerKm: Double?
        var powerW: Double?
        var voltageV: Double?
        var energyImportWh: UInt64?
        var energyExportWh: UInt64?
    }

    public struct Place: Sendable, Encodable {
        var lat: Double
        var lng: Double
        var timestampMs: Int64?
        var cell: String?
    }

    public var device: String
    public var privileges: [String]
    public var liveData: LiveData?
    public var diagnosticCodes: [String]?
    public var vin: String?
    public var currentLocation: Place?
    public var approximateLocation: Place?
    public var locationHistory: [Place]?

    /// The resolution of an approximate location.
    public static let approximateResolution = 6

    /// The snapshot of `device` from `reports` (newest first) for `privileges`.
    public init(device: Address, reports: [Report], privileges: Set<TelemetryPrivilege>) {
        self.device = device.description
        self.privileges = privileges.sorted().map(\.rawValue)
        var samples: [VehicleSample] = []
        var readings: [MeterReading] = []
        var identity: String?
        for report in reports {
            switch report.body {
            case .vehicleTelemetry(let batch)?:
                identity = identity ?? batch.vin
                samples += batch.samples.reversed()
            case .meterReadings(let batch)?:
                identity = identity ?? batch.serial
                readings += batch.readings.reversed()
            default: continue
            }
        }
        let located = samples.filter(\.hasLocation)
        if privileges.contains(.vin) { vin = identity }
        if privileges.contains(.diagnosticCodes) { diagnosticCodes = samples.first?.dtcs ?? [] }
        if privileges.contains(.liveData) {
            if let sample = samples.first {
                liveData = LiveData(
                    timestampMs: sample.timestampMs, speedKph: sample.hasSpeedKph ? sample.speedKph : nil,
                    rpm: sample.hasRpm ? sample.rpm : nil, coolantC: sample.hasCoolantC ? sample.coolantC : nil,
                    fuelPercent: sample.hasFuelPercent ? sample.fuelPercent : nil, odometerKm: sample.hasOdometerKm ? sample.odometerKm : nil)
            } else if let reading = readings.first {
                liveData = LiveData(
                    timestampMs: reading.timestampMs, powerW: reading.powerW, voltageV: reading.voltageV,
                    energyImportWh: reading.energyImportWh, energyExportWh: reading.energyExportWh)
            }
        }
        if privileges.contains(.currentLocation), let sample = located.first {
            currentLocation = Place(lat: sample.location.lat, lng: sample.location.lng, timestampMs: sample.timestampMs)
        }
        if privileges.contains(.approximateLocation), let sample = located.first,
            let cell = try? H3Cell(latitude: sample.location.lat, longitude: sample.location.lng, resolution: Self.approximateResolution)
        {
            let centre = cell.center
            approximateLocation = Place(
                lat: (centre.latitude * 1e6).rounded() / 1e6, lng: (centre.longitude * 1e6).rounded() / 1e6, cell: cell.description)
        }
        if privileges.contains(.locationHistory) {
            locationHistory = located.prefix(100).map { Place(lat: $0.location.lat, lng: $0.location.lng, timestampMs: $0.timestampMs) }
        }
    }
}
