extension Report {
    /// The report type's name, e.g. "heartbeat"; nil when the body is missing or unknown.
    public var typeName: String? {
        switch body {
        case .heartbeat?: "heartbeat"
        case .beacon?: "beacon"
        case .witness?: "witness"
        case .packets?: "packets"
        case .renderedFrame?: "rendered_frame"
        case .renderBenchmark?: "render_benchmark"
        case .storageStatus?: "storage_status"
        case .driveSegment?: "drive_segment"
        case .vehicleTelemetry?: "vehicle_telemetry"
        case .meterReadings?: "meter_readings"
        case nil: nil
        }
    }
}
