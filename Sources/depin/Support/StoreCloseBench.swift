import Core
import Foundation
import Ledger
import Rewards
import Store

/// `depin bench epoch --through-store DIR [--database-url URL]`: the close as the node runs it, from
/// its store (SQLite in DIR, or a new schema of the PostgreSQL database at URL).
/// A child process loads the store once (the same devices and heartbeats as the in-memory bench,
/// registered and appended through the store's own calls); this process then reads the registry
/// and streams the log by device, as `EpochCloser` does, and closes, so its peak resident memory
/// is the close's alone.
struct StoreCloseBench {
    let directory: String
    let devices: Int
    let reports: Int
    /// A PostgreSQL URL naming the schema to load and close from, instead of SQLite in `directory`.
    var databaseURL: String?
    /// With `databaseURL`: vacuum, analyze and checkpoint the loaded schema before the timed close
    /// (`PostgresPool.settle`), as the server's background work would have over a real epoch.
    var settle = true

    var databasePath: String { directory + "/node.sqlite" }
    var loadedMarker: String { directory + "/loaded-\(devices)x\(reports)" }

    /// The store: PostgreSQL at `databaseURL` (settled first when `settling`, see `settle`), or
    /// SQLite in `directory`.
    func openStore(settling: Bool = false) async throws -> SQLNetworkStore {
        guard let databaseURL else { return try SQLNetworkStore(path: databasePath) }
        let pool = try await PostgresPool(url: databaseURL, connections: 4)
        if settling {
            // Ten million rows arrive here in minutes, where a network's epoch takes them in over
            // hours, with autovacuum and the checkpointer keeping up; without this the close
            // would pay for that work (hint bits, the first read's page writes) too.
            let clock = ContinuousClock()
            let began = clock.now
            let missed = try await pool.settle()
            print(
                String(
                    format: "settled the database first (VACUUM (ANALYZE), CHECKPOINT; not timed): %.1f s%@",
                    BenchCommand.Sim.seconds(clock.now - began), missed.map { "; " + $0 } ?? ""))
            fflush(nil)
        }
        return SQLNetworkStore(database: pool)
    }

    /// Whether the store holds this bench's load already: SQLite's marker in `directory`, or, in
    /// a schema the URL names (`keptSchema`: kept between runs, where a schema made for the run
    /// is new), its devices and reports, counted. A named schema holding anything else is refused.
    func isLoaded(keptSchema: Bool) async throws -> Bool {
        guard databaseURL != nil else { return FileManager.default.fileExists(atPath: loadedMarker) }
        guard keptSchema else { return false }
        let store = try await openStore()
        let counts = try await store.counts()
        try await store.close()
        if counts.devices == devices, counts.reports == devices * reports { return true }
        guard counts.devices == 0, counts.reports == 0 else {
            throw CLIError(
                "the schema holds \(counts.devices) devices and \(counts.reports) reports, not this bench's "
                    + "\(devices) and \(devices * reports): name a new schema, or leave the URL's out")
        }
        return false
    }

    /// Loads the store: `devices` devices over the six kinds, ten to an owner, and `reports`
    /// heartbeats each in epoch 0, appended in rounds of increasing nonce, 8,000 to a transaction.
    func load() async throws {
        if databaseURL == nil {
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let genesis = BenchCommand.Sim.genesis()
        let store = try await openStore()
        let startMs = genesis.epochs.startTime * 1000
        try await store.bootstrap(genesis: genesis, genesisHash: "bench-epoch-store", nowMs: startMs)
        let kinds: [DeviceKind] = [.hotspot, .renderNode, .storageNode, .dashcam, .vehicle, .meter]
        let maker = try PublicKey(rawRepresentation: Data(repeating: 7, count: 32))
        let progress = ProgressBar(total: (devices + 9_999) / 10_000, label: "device batches registered")
        var records: [DeviceRecord] = []
        for index in 0..<devices {
            records.append(
                DeviceRecord(
                    key: Self.key(index), kind: kinds[index % kinds.count], owner: Self.owner(index / 10), maker: maker,
                    latitude: 37.7, longitude: -122.4, onboardedMs: startMs - 1))
            if records.count == 10_000 || index == devices - 1 {
                try await store.importDevices(records, nowMs: startMs - 1)
                progress.advance()
                records.removeAll(keepingCapacity: true)
            }
        }
        let appending = ProgressBar(total: reports * ((devices + 7_999) / 8_000), label: "report batches appended")
        let allowed = ["heartbeat": Set(kinds)]
        for slot in 0..<reports {
            var batch: [VerifiedReport] = []
            batch.reserveCapacity(8_000)
            for index in 0..<devices {
                var report = Report()
                report.device = Self.key(index).rawRepresentation
                report.nonce = UInt64(slot + 1)
                report.timestampMs = startMs + Int64(slot) * 300_000
                report.heartbeat.uptimeS = 300
                // A signature's worth of bytes: the close does not check them (ingest did).
                report.signature = Data(repeating: UInt8(truncatingIfNeeded: index), count: 64)
                batch.append(VerifiedReport(report: report, device: Self.key(index), type: "heartbeat", epoch: 0))
                if batch.count == 8_000 || index == devices - 1 {
                    _ = try await store.appendReports(batch, allowedKinds: allowed, nowMs: report.timestampMs)
                    appending.advance()
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        try await store.close()
        if databaseURL == nil { try Data().write(to: URL(fileURLWithPath: loadedMarker)) }
    }

    /// Closes epoch 0 from the store as the node does (or, with `textLog`, from the input as
    /// `GET /v1/epochs/0/inputs` serves it, the log as hex), and prints the figures.
    func close(textLog: Bool) async throws {
        let genesis = BenchCommand.Sim.genesis()
        let store = try await openStore(settling: settle)
        let engine = EpochEngine(genesis: genesis)
        let startMs = genesis.epochs.startTime * 1000
        let endMs = startMs + Int64(genesis.epochs.lengthSeconds) * 1000
        let clock = ContinuousClock()
        let began = clock.now
        var input: EpochInput
        var byDevice: DeviceReports = [:]
        if textLog {
            input = try await store.epochInput(epoch: 0, startMs: startMs, endMs: endMs)
        } else {
            (input, byDevice) = try await store.closingRead(epoch: 0, startMs: startMs, endMs: endMs)
        }
        let read = clock.now - began
        // Every device paid to an address of its own, as in the in-memory bench (a million
        // payout transactions would take the set-up an hour). Set-up, so not timed.
        let setUp = clock.now
        for index in input.devices.indices {
            var payout = Data(SHA256Digest.hash(Data(input.devices[index].id.description.utf8)).prefix(20))
            payout[0] = 0xAB
            input.devices[index].payout = try EVMAddress(bytes: payout)
        }
        let setUpTime = clock.now - setUp
        let result = textLog ? engine.closeAccepted(input) : engine.close(input, reports: byDevice)
        let total = clock.now - began - setUpTime
        try await store.close()
        let counted = result.devices.reduce(0) { $0 + $1.counted }
        print("devices: \(input.devices.count), reports counted: \(counted), through the store (\(textLog ? "the input with its log as hex, as served" : "the node's close: the registry, and the log streamed by device, read side by side"))")
        print(
            String(
                format: "reading the %@: %.1f s", textLog ? "input, its log as hex" : "registry and the log",
                BenchCommand.Sim.seconds(read)))
        print(String(format: "scoring, splitting and the Merkle tree: %.1f s", BenchCommand.Sim.seconds(total - read)))
        print(
            String(
                format: "close, from the store to the Merkle root (%d manifest entries): %.1f s (goal: under 60 s)",
                result.manifest.count, BenchCommand.Sim.seconds(total)))
        print(String(format: "peak resident memory: %.0f MB (goal: under 4096 MB)", BenchCommand.Sim.peakResidentMB()))
        print("root: \(result.root)")
    }

    static func key(_ index: Int) -> PublicKey {
        var seed = Data(repeating: 0, count: 32)
        withUnsafeBytes(of: UInt64(index).bigEndian) { seed.replaceSubrange(24..<32, with: $0) }
        seed[0] = 0x5A
        return try! PublicKey(rawRepresentation: seed)
    }

    static func owner(_ index: Int) -> Address {
        var seed = Data(repeating: 0, count: 32)
        withUnsafeBytes(of: UInt64(index).bigEndian) { seed.replaceSubrange(24..<32, with: $0) }
        seed[0] = 0x0A
        return Address(publicKey: try! PublicKey(rawRepresentation: seed))
    }
}
