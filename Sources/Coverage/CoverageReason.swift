/// Why a coverage report did not count. The raw values are the reason codes owners see in their
/// reward explanations; docs/coverage.md lists each with its rule.
public enum CoverageReason: String, Sendable, CaseIterable {
    // Either report.
    case denylisted = "denylisted"
    case noAssertedLocation = "no_asserted_location"
    case locationNotTrusted = "location_not_trusted"
    // Beacons.
    case entropyUnknown = "entropy_unknown"
    case entropyStale = "entropy_stale"
    case entropyFromFuture = "entropy_from_future"
    case beaconDataInvalid = "beacon_data_invalid"
    case beaconTooFrequent = "beacon_too_frequent"
    case noValidWitnesses = "no_valid_witnesses"
    // Witnesses.
    case beaconUnknown = "beacon_unknown"
    case beaconerInvalid = "beaconer_invalid"
    case sameOwner = "same_owner"
    case witnessTooClose = "witness_too_close"
    case witnessTooFar = "witness_too_far"
    case sameCell = "same_cell"
    case locationMismatch = "location_mismatch"
    case rssiTooStrong = "rssi_too_strong"
    case frequencyMismatch = "frequency_mismatch"
    case witnessTimeOutsideWindow = "witness_time_outside_window"
    case duplicateWitness = "duplicate_witness"
    case notSelected = "not_selected"
    // Packets.
    case packetsUnconfirmed = "packets_unconfirmed"

    /// What the code means, for people.
    public var explanation: String {
        switch self {
        case .denylisted: "the device is on the network's denylist"
        case .noAssertedLocation: "the hotspot has no asserted location"
        case .locationNotTrusted: "the hotspot moved recently; its location is not yet trusted"
        case .entropyUnknown: "the beacon's entropy is not signed by an oracle the genesis trusts"
        case .entropyStale: "the beacon's entropy is older than the network allows"
        case .entropyFromFuture: "the beacon is dated before the entropy it carries was published"
        case .beaconDataInvalid: "the beacon's data is not derived from its entropy and its hotspot"
        case .beaconTooFrequent: "the hotspot beaconed again within its beacon interval"
        case .noValidWitnesses: "no valid witness heard the beacon"
        case .beaconUnknown: "no counted beacon matches the witnessed one in this epoch"
        case .beaconerInvalid: "the beacon this witness heard did not count"
        case .sameOwner: "the witness and the beaconer have the same owner"
        case .witnessTooClose: "the witness is nearer to the beaconer than the minimum distance"
        case .witnessTooFar: "the witness is farther from the beaconer than radio plausibly reaches"
        case .sameCell: "the witness's location cell is the beaconer's"
        case .locationMismatch: "the position the witness reported is far from its asserted location"
        case .rssiTooStrong: "the signal is stronger than free-space path loss allows at that distance"
        case .frequencyMismatch: "the witness heard another frequency than the beacon used"
        case .witnessTimeOutsideWindow: "the witness heard the beacon outside the window after it"
        case .duplicateWitness: "the witness reported this beacon more than once"
        case .notSelected: "the beacon had more valid witnesses than are rewarded; others were chosen by the entropy"
        case .packetsUnconfirmed: "no router receipt paid for these packets"
        }
    }
}
