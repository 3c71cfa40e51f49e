/// Why a drive segment (or its part) did not count. The raw values are the reason codes drivers
/// see in their reward explanations; docs/mapping.md lists each with its rule.
public enum MappingReason: String, Sendable, CaseIterable {
    case badDriveID = "drive_bad_id"
    case noFixes = "drive_no_fixes"
    case tooManyFixes = "drive_too_many_fixes"
    case badCoordinates = "drive_bad_coordinates"
    case badFix = "drive_bad_fix"
    case fewSatellites = "drive_few_satellites"
    case highHDOP = "drive_high_hdop"
    case speedOutOfBounds = "drive_speed_out_of_bounds"
    case teleport = "drive_teleport"
    case timeNotMonotonic = "drive_time_not_monotonic"
    case fromTheFuture = "drive_from_the_future"
    case tooOld = "drive_too_old"
    case parked = "drive_parked"
    case frameOffTrack = "drive_frame_off_track"
    case duplicateFrame = "drive_duplicate_frame"
    case duplicateTrack = "drive_duplicate_track"
    case farFromLastEnd = "drive_far_from_last_end"

    /// What the code means, for people.
    public var explanation: String {
        switch self {
        case .badDriveID: "the segment's drive id is not 16 bytes"
        case .noFixes: "the segment carries no GPS fixes"
        case .tooManyFixes: "the segment carries more fixes than the network takes in one"
        case .badCoordinates: "a fix's latitude or longitude is not a place on Earth"
        case .badFix: "a fix's quality or mode is below what the network requires (a 3D GPS fix)"
        case .fewSatellites: "a fix used fewer satellites than the network requires"
        case .highHDOP: "a fix's horizontal dilution of precision is above the network's limit"
        case .speedOutOfBounds: "the vehicle was slower or faster than a mapping drive can be"
        case .teleport: "consecutive fixes are farther apart than a car could travel in the time between them"
        case .timeNotMonotonic: "the fixes' or frames' times do not increase"
        case .fromTheFuture: "a fix is dated after the report that carries it"
        case .tooOld: "the drive was recorded longer ago than the network takes uploads"
        case .parked: "the frames were taken without moving: frames count by distance, not time"
        case .frameOffTrack: "a frame is not where the track was at its time"
        case .duplicateFrame: "a frame's image was already submitted"
        case .duplicateTrack: "the track repeats one already submitted"
        case .farFromLastEnd: "the drive starts farther from the device's last one than it could have travelled since"
        }
    }
}
