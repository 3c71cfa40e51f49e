import Core
import Foundation
import Ledger
import Logging
import Prometheus
import Store

/// The JSON shapes the API answers with. Amounts are decimal strings; keys are snake_case.
struct AccountView: Encodable {
    var address: String
    var tokens: Amount
    var credits: Amount
    var nonce: UInt64

    init(_ state: AccountState) {
        address = state.address.description
        tokens = state.tokens
        credits = state.credits
        nonce = state.nonce
    }
}

struct LocationView: Encodable {
    var lat: Double
    var lng: Double
}

struct DeviceView: Encodable {
    var id: String
    var kind: String
    var owner: String
    var maker: String
    var location: LocationView?
    var antennaGainDbi: Double
    var elevationM: Double
    var locationReassertedMs: Int64?
    var onboardedMs: Int64
    var lastReportNonce: UInt64
    /// On the operators' denylist: the reason given, now and from the next epoch (absent where
    /// the view does not say).
    var denylist: DenylistStatus?

    struct DenylistStatus: Encodable {
        var listed: Bool
        var listedNextEpoch: Bool
        var reason: String?
    }

    init(_ device: DeviceRecord) {
        antennaGainDbi = device.antennaGainDbi
        elevationM = device.elevationM
        locationReassertedMs = device.locationReassertedMs
        id = device.key.address.description
        kind = device.kind.name
        owner = device.owner.description
        maker = device.maker.address.description
        if let lat = device.latitude, let lng = device.longitude { location = LocationView(lat: lat, lng: lng) }
        onboardedMs = device.onboardedMs
        lastReportNonce = device.lastReportNonce
    }
}

struct PostingView: Encodable {
    var account: String
    var asset: String
    var direction: String
    var amount: Amount
}

struct JournalEntryView: Encodable {
    var sequence: UInt64
    var timestampMs: Int64
    var kind: String
    var reference: String
    var postings: [PostingView]
    var transaction: String
    var previousHash: String
    var hash: String

    init(_ entry: JournalEntry) {
        sequence = entry.sequence
        timestampMs = entry.timestampMs
        kind = entry.kind.rawValue
        reference = entry.reference
        postings = entry.postings.map {
            PostingView(
                account: $0.account.description, asset: $0.asset.rawValue, direction: $0.direction.rawValue,
                amount: $0.amount)
        }
        transaction = entry.transaction.hexString
        previousHash = entry.previousHash.hexString
        hash = entry.hash.hexString
    }
}

struct ReportView: Encodable {
    var id: Int64
    var nonce: UInt64
    var timestampMs: Int64
    var receivedMs: Int64
    var type: String
    var epoch: Int64
    var bytes: String

    init(_ record: ReportRecord) {
        id = record.id
        nonce = record.nonce
        timestampMs = record.timestampMs
        receivedMs = record.receivedMs
        type = record.type
        epoch = record.epoch
        bytes = record.bytes.hexString
    }
}

struct ReportResultView: Encodable {
    var index: Int
    var status: String
    var id: Int64?
    var error: String?
    var message: String?
}

