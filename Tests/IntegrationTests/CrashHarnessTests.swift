import Core
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The node killed with SIGKILL at random moments, over and over, while devices report,
/// an account transacts and epochs close. After each kill the node comes back with every
/// report and transaction it acknowledged; at the end the ledger and every closed epoch verify,
/// and no epoch was paid twice. DEPIN_CRASH_KILLS sets the number of kills (20 by default).
@Suite(.serialized) struct CrashHarnessTests {
    static let epochSeconds = 2

    /// What the node acknowledged, to look for after each kill.
    struct Acknowledged {
        var reports: [String: Set<UInt64>] = [:]
        var entries: [UInt64: String] = [:]
    }

    static func key(_ world: IntegrationWorld, _ file: String) throws -> SigningKey {
        let data = try Data(contentsOf: URL(fileURLWithPath: world.directory + "/" + file))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return try SigningKey(seed: Data(hex: json["seed"] as? String ?? "") ?? Data())
    }

    /// POSTs protobuf `body`; the JSON answer when the node answered 2xx, nil when it did not
    /// (refused, or killed before answering: then the write may or may not have happened).
    static func post(_ url: String, _ body: Data) async -> [String: Any]? {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/x-protobuf", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = 5
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status)
        else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    @Test func everyAcknowledgedWriteSurvivesRepeatedKills() async throws {
        let kills = Int(ProcessInfo.processInfo.environment["DEPIN_CRASH_KILLS"] ?? "") ?? 20
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let bob = try world.depin("keys", "new", "--out", "bob.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let maker = try world.depin("keys", "new", "--out", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let now = Int(Date().timeIntervalSince1970)
        let start = ISO8601DateFormatter().string(
            from: Date(timeIntervalSince1970: TimeInterval(now - now % Self.epochSeconds)))
        _ = try world.depin(
            "init", "--token", "Crash Token", "--symbol", "CRA", "--epoch-seconds", "\(Self.epochSeconds)",
            "--grace-seconds", "1", "--start", start, "--maker", maker, "--allocate", "\(owner)=1000000000")
        try await world.startNode(extra: ["--oracle-key", "oracle.key"])
        var hotspots: [SigningKey] = []
        for index in 0..<3 {
            _ = try world.depin(
                "device", "onboard", "--owner-key", "owner.key", "--device-key", "hotspot\(index).key", "--maker-key",
                "maker.key", "--kind", "hotspot", "--lat", "\(37.77 + Double(index) * 0.01)", "--lng", "-122.41")
            hotspots.append(try Self.key(world, "hotspot\(index).key"))
        }
        let payer = try Self.key(world, "owner.key")

        var acknowledged = Acknowledged()
        var nonces = [UInt64](repeating: 0, count: hotspots.count)
        var survived = 0
        for round in 0..<kills {
            // The account's next nonce, as the node has it (an unanswered transfer may have landed).
            let account = try await world.json("/v1/accounts/\(owner)") as? [String: Any] ?? [:]
            var nextNonce = UInt64(account["nonce"] as? Int ?? 0) + 1
            let url = world.url
            let traffic = Task { [nonces] () -> (Acknowledged, [UInt64]) in
                var seen = Acknowledged()
                var sent = nonces
                // Until the node stops answering (URLSession on Linux does not survive its tasks
                // being cancelled, so the loop ends on its own).
                while true {
                    for (index, hotspot) in hotspots.enumerated() {
                        sent[index] += 1
                        var report = Report()
                        report.nonce = sent[index]
                        report.timestampMs = Int64(Date().timeIntervalSince1970 * 1_000)
                        report.heartbeat.uptimeS = 60
                        report.heartbeat.agentVersion = "crash-harness"
                        report.sign(with: hotspot)
                        if await Self.post(url + "/v1/reports", report.canonicalBytes)?["status"] as? String == "accepted" {
                            seen.reports[hotspot.publicKey.description, default: []].insert(report.nonce)
                        }
                    }
                    var transfer = Transaction()
                    transfer.nonce = nextNonce
                    transfer.timestampMs = Int64(Date().timeIntervalSince1970 * 1_000)
                    transfer.transfer.to = bob
                    transfer.transfer.amount = "1"
                    transfer.sign(with: payer)
                    if let applied = await Self.post(url + "/v1/transactions", transfer.canonicalBytes),
                        let sequence = applied["sequence"] as? Int, let hash = applied["hash"] as? String
                    {
                        seen.entries[UInt64(sequence)] = hash
                        nextNonce += 1
                    } else {
                        break
                    }
                }
                return (seen, sent)
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...1_200)))
            world.killNode()
            let (seen, sent) = await traffic.value
            nonces = sent

            // This round's acknowledged writes must be there after the restart (earlier rounds'
            // were checked after theirs; the journal is checked whole at the end).
            try await world.startNode(extra: ["--oracle-key", "oracle.key"])
            var intact = true
            for hotspot in hotspots {
                let device = hotspot.publicKey.description
                let stored = try await world.json("/v1/devices/\(device)/reports?limit=1000") as? [[String: Any]] ?? []
                let storedNonces = Set(stored.compactMap { $0["nonce"] as? Int }.map(UInt64.init))
                let lost = (seen.reports[device] ?? []).subtracting(storedNonces)
                intact = intact && lost.isEmpty
                #expect(lost.isEmpty, "kill \(round + 1): \(device) lost acknowledged reports \(lost.sorted())")
            }
            for (sequence, hash) in seen.entries {
                let entries = try await world.json("/v1/journal?from=\(sequence)&limit=1") as? [[String: Any]] ?? []
                intact = intact && entries.first?["hash"] as? String == hash
                #expect(entries.first?["hash"] as? String == hash, "kill \(round + 1): journal entry \(sequence) lost or changed")
            }
            for (device, reported) in seen.reports { acknowledged.reports[device, default: []].formUnion(reported) }
            acknowledged.entries.merge(seen.entries) { $1 }
            if intact { survived += 1 }
        }
        let reports = acknowledged.reports.values.map(\.count).reduce(0, +)
        print(
            "crash harness: \(survived) of \(kills) kills survived with every acknowledged write; \(reports) reports and "
                + "\(acknowledged.entries.count) transfers acknowledged")
        #expect(reports > kills && acknowledged.entries.count > kills, "too little traffic to mean anything")

        // Each closed epoch was minted exactly once (epochs go on closing meanwhile: the mints are
        // counted between two looks at the list), every closed epoch verifies, and the ledger's
        // chain holds.
        let closedBefore = try await world.json("/v1/epochs?limit=1000") as? [[String: Any]] ?? []
        let health = try await world.json("/health") as? [String: Any] ?? [:]
        #expect(health["reports"] as? Int ?? 0 >= reports, "the log holds fewer reports than were acknowledged")
        var mints: [Int: Int] = [:]
        var hashes: [UInt64: String] = [:]
        var from = 1
        while true {
            let page = try await world.json("/v1/journal?from=\(from)&limit=1000") as? [[String: Any]] ?? []
            for entry in page {
                if let sequence = entry["sequence"] as? Int { hashes[UInt64(sequence)] = entry["hash"] as? String }
            }
            for entry in page where entry["kind"] as? String == "mint" {
                let words = (entry["reference"] as? String ?? "").split(separator: " ")
                mints[words.count == 3 ? Int(words[1]) ?? -1 : -1, default: 0] += 1
            }
            guard page.count == 1_000 else { break }
            from += 1_000
        }
        let changed = acknowledged.entries.filter { hashes[$0.key] != $0.value }
        #expect(changed.isEmpty, "acknowledged journal entries lost or changed: \(changed.keys.sorted())")
        let closedAfter = try await world.json("/v1/epochs?limit=1000") as? [[String: Any]] ?? []
        world.killNode()
        let before = Set(closedBefore.compactMap { $0["epoch"] as? Int })
        let after = Set(closedAfter.compactMap { $0["epoch"] as? Int })
        #expect(before.count >= 2, "epochs closed during the run: \(before.sorted())")
        #expect(mints.values.allSatisfy { $0 == 1 }, "an epoch minted more than once: \(mints.filter { $0.value > 1 })")
        #expect(before.isSubset(of: Set(mints.keys)) && Set(mints.keys).isSubset(of: after), "mints \(mints.keys.sorted())")
        for epoch in after.sorted() {
            #expect(try world.depin("epoch", "verify", "\(epoch)", "--data-dir", "data").contains("verifies"))
        }
        #expect(try world.depin("ledger", "verify", "--data-dir", "data").contains("ledger ok"))
    }
}
