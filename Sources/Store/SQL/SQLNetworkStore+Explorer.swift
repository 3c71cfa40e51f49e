import Core
import Foundation
import Geo
import Ledger

extension SQLNetworkStore {
    public func cellTallies(resolution: Int, onlineSinceMs: Int64) async throws -> [CellTally] {
        let bits = H3Cell.parentBits(resolution: min(max(resolution, 0), StoreRows.cellResolution))
        return try await writer.read { db in
            // One pass over the devices, counted here: a GROUP BY would sort every row by
            // the computed parent first. A cell at resolution 12 or coarser ends in nine set bits
            // (digits 13 to 15 are 7), which hold the kind in the key; the count holds devices in
            // its high half and online devices in its low half.
            var counts: [UInt64: UInt64] = [:]
            try db.scanIntegers(
                sql: "SELECT cell, kind, last_report_ms >= ? FROM devices WHERE cell IS NOT NULL",
                arguments: [onlineSinceMs]
            ) { row in
                let parent = UInt64(bitPattern: row[0] ?? 0) & bits.keep | bits.set
                let kind = UInt64(clamping: row[1] ?? 0) & Self.kindBits
                counts[parent & ~Self.kindBits | kind, default: 0] += 1 << 32 | (row[2] == 1 ? 1 : 0)
            }
            return counts.keys.sorted().map { key in
                let count = counts[key]!
                return CellTally(
                    cell: key | Self.kindBits, kind: DeviceKind(rawValue: Int(key & Self.kindBits)) ?? .unspecified,
                    devices: Int(count >> 32), online: Int(count & 0xffff_ffff))
            }
        }
    }

    /// The low bits of a resolution-12 cell, all set, where a tally key keeps the kind.
    static let kindBits: UInt64 = 0x1ff

    public func devices(in cell: UInt64, limit: Int) async throws -> [DeviceListing] {
        let resolution = Int(cell >> 52 & 0xf)
        guard resolution <= StoreRows.cellResolution else { return [] }
        let bits = H3Cell.parentBits(resolution: resolution)
        return try await writer.read { db in
            try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT key, kind, owner, latitude, longitude, last_report_ms FROM devices
                    WHERE cell IS NOT NULL AND (cell & ?) | ? = ? ORDER BY key LIMIT ?
                    """,
                arguments: [
                    Int64(bitPattern: bits.keep), Int64(bitPattern: bits.set), Int64(bitPattern: cell), max(limit, 0),
                ]
            ).map { row in
                DeviceListing(
                    key: try PublicKey(rawRepresentation: row["key"]), kind: DeviceKind(rawValue: row["kind"]) ?? .unspecified,
                    owner: try Address(parsing: row["owner"]), latitude: row["latitude"], longitude: row["longitude"],
                    lastReportMs: row["last_report_ms"])
            }
        }
    }

    public func deviceCounts(onlineSinceMs: Int64) async throws -> [DeviceKind: (devices: Int, online: Int)] {
        try await writer.read { db in
            var counts: [DeviceKind: (devices: Int, online: Int)] = [:]
            for row in try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT kind, COUNT(*) AS total, SUM(CASE WHEN last_report_ms >= ? THEN 1 ELSE 0 END) AS online
                    FROM devices GROUP BY kind
                    """, arguments: [onlineSinceMs])
            {
                counts[DeviceKind(rawValue: row["kind"]) ?? .unspecified] = (row["total"], row["online"])
            }
            return counts
        }
    }

    public func journal(involving account: Address, limit: Int) async throws -> [JournalEntry] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT j.* FROM journal_accounts a JOIN journal j ON j.sequence = a.sequence
                    WHERE a.account = ? ORDER BY a.sequence DESC LIMIT ?
                    """,
                arguments: [account.description, limit]
            ).map(StoreRows.journalEntry)
        }
    }
}

extension SQLNetworkStore {
    /// Registers devices in bulk, in one transaction, without journal entries: for importing a
    /// registry that another system kept (a network moving onto depin) and for benchmarks at
    /// scale. Refuses a device that is already registered.
    public func importDevices(_ devices: [DeviceRecord], nowMs: Int64) async throws {
        try await writer.write { db in
            if let setting = ReportLog.preferIndexProbes(db.dialect) { _ = try db.execute(sql: "SELECT " + setting) }
            let known = try ReportLog.senders(Set(devices.map(\.key)), tail: self.reportTail, in: db)
            if let registered = devices.first(where: { known[$0.key] != nil }) {
                throw StoreError(.deviceExists, "device \(registered.key.address) is already registered")
            }
            guard Set(devices.map(\.key)).count == devices.count else {
                throw StoreError(.deviceExists, "a device is listed twice in the import")
            }
            try db.insertRows(sql: StoreRows.insertDeviceSQL, rows: devices.map(StoreRows.deviceArguments))
            try db.insertRows(
                sql: "INSERT INTO device_owners (device, owner, since_ms) VALUES (?, ?, ?)",
                rows: devices.map { [$0.key.rawRepresentation, $0.owner.description, $0.onboardedMs] })
            try db.insertRows(
                sql: """
                    INSERT INTO device_locations
                        (device, latitude, longitude, antenna_gain_dbi, elevation_m, reasserted, since_ms)
                    VALUES (?, ?, ?, ?, ?, 0, ?)
                    """,
                rows: devices.compactMap { device in
                    guard let latitude = device.latitude, let longitude = device.longitude else { return nil }
                    return [
                        device.key.rawRepresentation, latitude, longitude, device.antennaGainDbi, device.elevationM,
                        device.onboardedMs,
                    ]
                })
        }
    }
}
