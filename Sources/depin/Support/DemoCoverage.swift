import Agent
import Core
import Foundation
import Logging
import Simulation

/// The demo's coverage network: a few hundred simulated hotspots in San Francisco that beacon
/// with the node's entropy, witness each other through the radio model, and carry a router's
/// packets, all through the node's public API; and a line of summary per closed epoch.
struct DemoCoverage: Sendable {
    let world: CoverageWorld
    let router: SigningKey
    let maker: SigningKey
    let epochSeconds: Int64
    let logger: Logger

    /// Onboards the hotspots and the router's credits; then `run` drives them.
    func prepare(_ client: NodeClient) async throws {
        try await onboardHotspots(client)
        try await buyCredits(client)
    }

    /// Beacons, witnesses, packets and summaries until cancelled.
    func run(_ client: NodeClient) async throws {
        print("demo: \(world.hotspots.count) hotspots beaconing in San Francisco; epochs every \(epochSeconds) s at \(client.baseURL)")
        var nonces: [Address: UInt64] = [:]
        var last = nowMs()
        var lastEpoch: Int64 = -1
        var lastClosed: Int64 = -1
        var sent = Tally()
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(1))
            let now = nowMs()
            let entropy = try await currentEntropy(client)
            var batch = world.transmissions(startMs: last, endMs: now) { _ in entropy }.map { entry in
                var report = entry.report
                // Nonces follow the clock, so a restarted demo never reuses one.
                let nonce = max((nonces[entry.key.address] ?? 0) + 1, UInt64(report.timestampMs) << 6)
                nonces[entry.key.address] = nonce
                report.nonce = nonce
                report.sign(with: entry.key)
                return report
            }
            last = now
            let epoch = (now / 1000 - world.originMs / 1000) / epochSeconds
            if epoch != lastEpoch {
                lastEpoch = epoch
                batch += try await carryPackets(client, epoch: epoch, nonces: &nonces)
            }
            sent.beacons += batch.filter { $0.typeName == "beacon" }.count
            sent.witnesses += batch.filter { $0.typeName == "witness" }.count
            try await submit(batch, client, tally: &sent)
            lastClosed = try await summarize(client, after: lastClosed, sent: &sent)
        }
    }

    private func onboardHotspots(_ client: NodeClient) async throws {
        var missing: [Int] = []
        for (index, hotspot) in world.hotspots.enumerated()
        where try await client.get("/v1/devices/\(hotspot.key.address)").status != 200 {
            missing.append(index)
        }
        guard !missing.isEmpty else { return }
        print("demo: onboarding \(missing.count) hotspots…")
        let maker = self.maker
        let world = self.world
        for start in stride(from: 0, to: missing.count, by: 16) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in missing[start..<min(start + 16, missing.count)] {
                    let hotspot = world.hotspots[index]
                    group.addTask {
                        let owner = CoverageWorld.key(seed: world.seed, label: "owner", index: index)
                        // Each owner claims on chain at an address of its own, so the epoch's
                        // Merkle root covers every hotspot's reward.
                        let payout = "0x" + SHA256Digest.hash(owner.publicKey.rawRepresentation).prefix(20).hexString
                        let onboard = OnboardDevice(
                            device: hotspot.key.publicKey, kind: .hotspot, maker: maker.publicKey,
                            latitude: hotspot.asserted.lat, longitude: hotspot.asserted.lng, payoutAddress: payout,
                            antennaGainDbi: hotspot.gainDbi)
                        _ = try await client.signAndSubmit(by: owner, cosigners: [hotspot.key, maker]) {
                            $0.onboardDevice = onboard
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// The router burns tokens for credits when it runs low.
    private func buyCredits(_ client: NodeClient) async throws {
        let account = try await client.get("/v1/accounts/\(router.address)")
        let credits = (try? JSONSerialization.jsonObject(with: account.body) as? [String: Any])?["credits"] as? String
        guard (UInt64(credits ?? "0") ?? 0) < 1_000_000 else { return }
        _ = try await client.signAndSubmit(by: router) {
            $0.burn.amount = "100000000"  // 100 tokens
        }
    }

    private func currentEntropy(_ client: NodeClient) async throws -> Entropy {
        let reply = try await client.get("/v1/entropy")
        guard reply.status == 200, let object = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let wire = object["wire"] as? String, let bytes = Data(hex: wire)
        else { throw CLIError("the node gave no entropy: \(reply.errorMessage ?? "http \(reply.status)")") }
        return try Entropy(wireBytes: bytes)
    }

    /// A tenth of the hotspots carry packets for the router this epoch; the router pays for them.
    private func carryPackets(_ client: NodeClient, epoch: Int64, nonces: inout [Address: UInt64]) async throws -> [Report] {
        var random = SeededGenerator(seed: world.seed ^ UInt64(bitPattern: epoch) &* 0x5851_F42D)
        var reports: [Report] = []
        var charges: [UsageCharge] = []
        let now = nowMs()
        for hotspot in world.hotspots where random.unit() < 0.1 {
            var packets = PacketReport()
            packets.router = router.address.description
            packets.packets = 1 + random.next() % 20
            packets.payloadBytes = packets.packets * (24 + random.next() % 200)
            packets.reference = "demo-epoch-\(epoch)"
            var report = Report()
            report.timestampMs = now
            report.packets = packets
            let nonce = max((nonces[hotspot.key.address] ?? 0) + 1, UInt64(now) << 6)
            nonces[hotspot.key.address] = nonce
            report.nonce = nonce
            report.sign(with: hotspot.key)
            reports.append(report)
            var charge = UsageCharge()
            charge.device = hotspot.key.publicKey.rawRepresentation
            charge.credits = String((packets.payloadBytes + 23) / 24)
            charges.append(charge)
        }
        guard !charges.isEmpty else { return reports }
        do {
            try await buyCredits(client)
            _ = try await client.signAndSubmit(by: router) {
                $0.spendCredits.service = "coverage"
                $0.spendCredits.charges = charges
                $0.spendCredits.reference = "demo-epoch-\(epoch)"
            }
        } catch {
            logger.warning("the router could not pay for packets", metadata: ["error": "\(error)"])
        }
        return reports
    }

    /// What the hotspots sent since the last summary line.
    struct Tally {
        var beacons = 0
        var witnesses = 0
        var refused: [String: Int] = [:]

        var refusedText: String {
            refused.isEmpty ? "none refused"
                : "refused at the door: " + refused.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
    }

    /// Sends reports in batches, counting the node's refusals by code.
    private func submit(_ reports: [Report], _ client: NodeClient, tally: inout Tally) async throws {
        for start in stride(from: 0, to: reports.count, by: 500) {
            var batch = ReportBatch()
            batch.reports = Array(reports[start..<min(start + 500, reports.count)])
            let reply = try await client.post("/v1/reports/batch", body: batch.canonicalBytes)
            let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
            guard let results = object?["results"] as? [[String: Any]] else {
                tally.refused[reply.errorCode ?? "http_\(reply.status)", default: 0] += batch.reports.count
                continue
            }
            for result in results where result["status"] as? String == "rejected" {
                tally.refused[result["error"] as? String ?? "unknown", default: 0] += 1
            }
        }
    }

    /// Prints a line for each epoch closed since `after`; returns the newest closed epoch.
    private func summarize(_ client: NodeClient, after: Int64, sent: inout Tally) async throws -> Int64 {
        let reply = try await client.get("/v1/epochs?limit=20")
        guard let list = try? JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] else { return after }
        let closed = list.filter { ($0["epoch"] as? NSNumber)?.int64Value ?? -1 > after }
            .sorted { (($0["epoch"] as? NSNumber)?.int64Value ?? 0) < (($1["epoch"] as? NSNumber)?.int64Value ?? 0) }
        guard !closed.isEmpty else { return after }
        var newest = after
        for listed in closed {
            guard let epoch = (listed["epoch"] as? NSNumber)?.int64Value else { continue }
            newest = epoch
            let detail = try await client.get("/v1/epochs/\(epoch)")
            let object = (try? JSONSerialization.jsonObject(with: detail.body) as? [String: Any]) ?? [:]
            let pools = (object["pools"] as? [[String: Any]]) ?? []
            let coverage = pools.first { $0["name"] as? String == "coverage" }
            print(
                "epoch \(epoch) closed: emission \(listed["emission"] ?? "?"), minted \(listed["minted"] ?? "?"), "
                    + "burned \(listed["burned"] ?? "?"); coverage pool paid \(coverage?["paid"] ?? "?") across "
                    + "\(object["devices"] ?? "?") device rewards")
        }
        print("  since the last line: \(sent.beacons) beacons, \(sent.witnesses) witness reports sent; \(sent.refusedText)")
        sent = Tally()
        return newest
    }
}
