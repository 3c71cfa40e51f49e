import Core
import Ledger
import Rewards
import Storage
import Store
import Testing

/// The storage pool's scores: what a node earned from customers (bytes held and served while it
/// passes audits) times the heartbeats it counted; nothing for a node that holds nothing.
@Suite struct StorageServiceTests {
    let start: Int64 = 1_700_000_000_000
    let hour: Int64 = 3_600_000

    func service() throws -> StorageService {
        var parameters = TOMLTable(line: 1)
        parameters["heartbeat_interval_s"] = .init(value: .integer(600), line: 2)
        return try StorageService(
            service: Genesis.Service(name: "storage", weight: 10, kinds: [.storageNode], parameters: parameters))
    }

    /// `count` heartbeats from `key`, ten minutes apart from the epoch's start.
    func heartbeats(_ key: SigningKey, _ count: Int) -> [Report] {
        (0..<count).map { index in
            var report = Report()
            report.timestampMs = start + Int64(index) * 600_000
            report.nonce = UInt64(index + 1)
            report.body = .heartbeat(Heartbeat())
            report.sign(with: key)
            return report
        }
    }

    @Test func nodesShareThePoolByCreditsEarnedTimesTimeOnline() throws {
        let keys = (0..<4).map { _ in SigningKey() }
        let owner = SigningKey().address
        let devices = keys.map { EpochInput.Device(id: $0.address, kind: "storage-node", owner: owner, payout: nil) }
        // An hour's epoch holds six heartbeats of ten minutes. Node 0 earned 300 credits online
        // all hour; node 1 earned the same online half of it; node 2 was online and held nothing;
        // node 3 earned 100 credits and sent no heartbeat.
        let epoch = ServiceEpoch(
            epoch: 7, startMs: start, endMs: start + hour, devices: devices,
            reports: [keys[0].address: heartbeats(keys[0], 6), keys[1].address: heartbeats(keys[1], 3), keys[2].address: heartbeats(keys[2], 6)],
            paid: [keys[0].address.description: Amount(300), keys[1].address.description: Amount(300), keys[3].address.description: Amount(100)])
        let scores = try service().score(epoch)
        #expect(scores[keys[0].address] == ServiceScore(shares: 1_800, counted: 6, multiplier: "1.0000"))
        #expect(scores[keys[1].address] == ServiceScore(shares: 900, counted: 3, multiplier: "0.5000"))
        #expect(scores[keys[2].address]?.shares == 0 && scores[keys[2].address]?.counted == 6)
        #expect(scores[keys[3].address]?.shares == 0)
    }

    @Test func aNodeEarnsOnceItPassedAnAuditAndUntilItIsDisqualified() throws {
        let rule = AuditReputation(parameters: try service().parameters)
        let node = SigningKey().address
        #expect(!rule.earns(nil))
        var reputation = rule.initial(node)
        #expect(!rule.earns(reputation))
        reputation = rule.updated(reputation, result: "offline", nowMs: 1)
        #expect(!rule.earns(reputation), "an audit it missed proves nothing")
        reputation = rule.updated(reputation, result: "passed", nowMs: 2)
        #expect(rule.earns(reputation))
        reputation.disqualifiedMs = 3
        #expect(!rule.earns(reputation))
    }
}
