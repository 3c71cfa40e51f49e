import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import NIOCore
import Store
import StoreTestSupport
import Synchronization
import Testing

/// A node over an empty store (SQLite in memory, or PostgreSQL under DEPIN_TEST_STORE=postgres) with a fixed clock, and the keys to talk to it.
struct NodeWorld {
    let alice = SigningKey()
    let bob = SigningKey()
    let maker = SigningKey()
    let oracle = SigningKey()
    /// The key the genesis names under [operators].
    let operatorKey = SigningKey()
    let nowMs: Int64 = 1_767_225_600_000
    let clock: TestClock
    let store: SQLNetworkStore
    var state: NodeState

    init(
        maxBodyBytes: Int = 1 << 20, coverage: TOMLTable = TOMLTable(), oracleKey: Bool = false, rendering: TOMLTable? = nil,
        storage: Bool = false, mapping: TOMLTable? = nil, deviceRate: RateLimit? = NodeConfiguration().deviceRate,
        accountRate: RateLimit? = NodeConfiguration().accountRate
    ) async throws {
        var services: [Genesis.Service] = [
            .init(name: "coverage", weight: 1, kinds: [.hotspot], parameters: coverage),
            .init(name: "telemetry", weight: 1, kinds: [.vehicle, .meter], parameters: TOMLTable()),
        ]
        if let rendering { services.append(.init(name: "rendering", weight: 1, kinds: [.renderNode], parameters: rendering)) }
        if storage { services.append(.init(name: "storage", weight: 1, kinds: [.storageNode], parameters: TOMLTable())) }
        if let mapping { services.append(.init(name: "mapping", weight: 1, kinds: [.dashcam], parameters: mapping)) }
        var genesis = Genesis(
            token: .init(name: "Test Token", symbol: "TST", decimals: 6, supplyCap: Amount(10_000_000_000_000)),
            emission: .init(perEpoch: Amount(1_000_000_000), decay: .none),
            epochs: .init(lengthSeconds: 3_600, startTime: 1_767_225_600 - 86_400, graceSeconds: 60),
            creditsPerToken: Amount(100_000),
            services: services,
            treasury: .init(weight: 0, account: SigningKey().address, emptyPools: .treasury),
            reports: .init(maxFutureSeconds: 300, maxAgeSeconds: 3_600),
            oracles: [oracle.publicKey], quorum: 1, makers: [maker.publicKey],
            allocations: [.init(account: alice.address, amount: Amount(5_000_000))])
        genesis.operators = [operatorKey.publicKey]
        store = try await StoreEngine.configured.makeStore()
        try await store.bootstrap(genesis: genesis, genesisHash: "test", nowMs: nowMs)
        var configuration = NodeConfiguration()
        configuration.maxBodyBytes = maxBodyBytes
        configuration.deviceRate = deviceRate
        configuration.accountRate = accountRate
        let clock = TestClock(nowMs)
        self.clock = clock
        state = try NodeState(
            genesis: genesis, genesisHash: "test", store: store, clock: NodeClock { clock.nowMs },
            configuration: configuration, oracleKey: oracleKey ? oracle : nil)
    }

    var app: some ApplicationProtocol { Application(router: NodeApplication.makeRouter(state: state)) }

    func transaction(by key: SigningKey, nonce: UInt64, _ build: (inout Transaction) -> Void) -> Transaction {
        var transaction = Transaction()
        transaction.nonce = nonce
        transaction.timestampMs = nowMs
        build(&transaction)
        transaction.sign(with: key)
        return transaction
    }

    /// Alice's signed render job of frames `first` to `last` of `scene`, capped at `cap` credits
    /// (`last` before `first` makes a job the ledger refuses).
    func renderJob(nonce: UInt64, scene: String, frames first: UInt32, to last: UInt32, cap: String, tier: String = "priority")
        -> Transaction
    {
        transaction(by: alice, nonce: nonce) {
            $0.submitRenderJob.sceneSha256 = scene
            $0.submitRenderJob.frameStart = first
            $0.submitRenderJob.frameEnd = last
            $0.submitRenderJob.format = "PNG"
            $0.submitRenderJob.tier = tier
            $0.submitRenderJob.priceCapCredits = cap
        }
    }

    func onboarding(_ device: SigningKey, kind: DeviceKind = .hotspot, nonce: UInt64 = 1) -> Transaction {
        var transaction = self.transaction(by: alice, nonce: nonce) {
            $0.onboardDevice.device = device.publicKey.rawRepresentation
            $0.onboardDevice.kind = kind
            $0.onboardDevice.maker = maker.publicKey.rawRepresentation
            $0.onboardDevice.location.lat = 48.85
            $0.onboardDevice.location.lng = 2.35
        }
        transaction.cosign(with: device)
        transaction.cosign(with: maker)
        return transaction
    }

    /// A meter's batch of two readings a minute apart ending at `timestampMs`, its export
    /// counter at `exportedWh` and consistent with its 3 kW of power.
    func meterReadings(_ device: SigningKey, nonce: UInt64, at timestampMs: Int64, exportedWh: UInt64) -> Report {
        var report = Report()
        report.nonce = nonce
        report.timestampMs = timestampMs
        report.meterReadings.serial = "SN-\(device.address.description.suffix(8))"
        for (index, ms) in [timestampMs - 60_000, timestampMs].enumerated() {
            var reading = MeterReading()
            reading.timestampMs = ms
            reading.energyExportWh = exportedWh + UInt64(index * 50)
            reading.energyImportWh = 1_000
            reading.powerW = -3_000
            reading.voltageV = 240
            report.meterReadings.readings.append(reading)
        }
        report.sign(with: device)
        return report
    }

    func heartbeat(_ device: SigningKey, nonce: UInt64, at timestampMs: Int64? = nil) -> Report {
        var report = Report()
        report.nonce = nonce
        report.timestampMs = timestampMs ?? nowMs
        report.heartbeat.uptimeS = 60
        report.heartbeat.agentVersion = "test"
        report.sign(with: device)
        return report
    }
}

/// A clock a test moves by hand.
final class TestClock: Sendable {
    private let value: Mutex<Int64>

    init(_ ms: Int64) { value = Mutex(ms) }

    var nowMs: Int64 {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// A decoded JSON object from a test response.
func object(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
}

/// A body of protobuf bytes.
func protobuf(_ data: Data) -> ByteBuffer { ByteBuffer(bytes: data) }

let binary: HTTPFields = [.contentType: "application/x-protobuf"]
