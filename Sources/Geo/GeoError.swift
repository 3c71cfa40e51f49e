import Core

/// Why a coordinate, a resolution or a cell index was refused.
public typealias GeoError = CodedError<GeoErrorCode>

/// Every way geographic input can be wrong.
public enum GeoErrorCode: String, Sendable {
    case invalidLatitude = "invalid_latitude"
    case invalidLongitude = "invalid_longitude"
    case invalidResolution = "invalid_resolution"
    case invalidCell = "invalid_cell"
    case invalidRadius = "invalid_radius"
    case tooFar = "too_far"
}
