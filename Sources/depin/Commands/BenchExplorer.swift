import Agent
import ArgumentParser
import Core
import Foundation
import Hummingbird
import Ledger
import Logging
import Node
import Rewards
import Simulation
import Store

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension BenchCommand {
    /// `depin bench explorer`: each explorer page's response time on a large network.
    struct ExplorerPages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explorer",
            abstract: "Time every explorer page against a node with many devices and closed epochs.",
            discussion: """
                Imports the devices into a fresh SQLite store (no journal entries), closes epochs in which \
                every device earns, starts the node on a free loopback port and times each page over HTTP \
                (median of the rounds; the goal is 300 ms). Build with -c release for meaningful numbers.
                """)
        @Option(name: .long, help: "How many devices.") var devices = 100_000
        @Option(name: .long, help: "How many closed epochs.") var epochs = 3
        @Option(name: .long, help: "Requests per page.") var rounds = 5
        @Option(name: .long, help: "Keep the node's data directory here instead of a temporary one that is removed.")
        var keep: String?

        func run() async throws {
            guard (10...2_000_000).contains(devices), (1...100).contains(epochs), (1...100).contains(rounds) else {
                throw CLIError("--devices is 10 to 2000000, --epochs and --rounds 1 to 100")
            }
            let directory = keep ?? NSTemporaryDirectory() + "depin-bench-explorer-\(UUID())"
            guard !FileManager.default.fileExists(atPath: directory + "/node.sqlite") else {
                throw CLIError("\(directory) already holds a node's data; --keep wants a new or empty directory")
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
            let clock = ContinuousClock()
            let network = try BenchGenesis(directory: directory, pastEpochs: epochs + 1)
            let (genesis, genesisPath, start) = (network.genesis, network.path, network.startSeconds)
            let store = try SQLNetworkStore(path: directory + "/node.sqlite")
            try await network.bootstrap(store)

            // Devices: mostly hotspots, every kind present, ten per owner, spread over the globe.
            let setup = try await clock.measure {
                var random = SeededGenerator(seed: 17)
                let maker = try KeyFile.load(from: directory + "/maker.key").publicKey
                let kinds = DeviceKind.allNamed
                var batch: [DeviceRecord] = []
                for index in 0..<devices {
                    let key = CoverageWorld.key(seed: 17, label: "device", index: index)
                    let owner = CoverageWorld.key(seed: 17, label: "owner", index: index / 10).address
                    let kind = index % 4 == 0 ? kinds[index / 4 % kinds.count] : .hotspot
                    batch.append(
                        DeviceRecord(
                            key: key.publicKey, kind: kind, owner: owner, maker: maker,
                            latitude: random.uniform(-60...70), longitude: random.uniform(-180...180),
                            onboardedMs: start * 1000))
                    if batch.count == 10_000 || index == devices - 1 {
                        try await store.importDevices(batch, nowMs: start * 1000)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                // The first owner names its payout address with a real transaction; every owner is
                // given one in the epochs' registry snapshot, so the manifest has a payee per owner.
                let firstOwner = CoverageWorld.key(seed: 17, label: "owner", index: 0)
                var naming = Transaction()
                naming.nonce = 1
                naming.timestampMs = start * 1000
                naming.setPayoutAddress.payoutAddress = BenchGenesis.payout(firstOwner.address).description
                naming.sign(with: firstOwner)
                _ = try await store.apply(naming, rules: TransactionRules(genesis: genesis), nowMs: start * 1000)
                // Epochs in which every device earns (paid usage), closed by the real engine.
                try await network.closeEpochsPayingEveryone(epochs, in: store)
            }
            print("set up \(devices) devices and \(epochs) closed epochs in \(setup)")

            let node = try await BenchNode.start(directory: directory, genesisPath: genesisPath)
            defer { node.stop() }
            let base = "http://127.0.0.1:\(node.port)"
            let device = CoverageWorld.key(seed: 17, label: "device", index: 1).address
            let owner = CoverageWorld.key(seed: 17, label: "owner", index: 0).address
            let last = epochs - 1
            let pages = [
                "/", "/map", "/map?res=5&color=rewards", "/devices/\(device)", "/accounts/\(owner)", "/markets/coverage",
                "/epochs/\(last)", "/epochs/\(last)?page=100", "/search?q=\(device)",
            ]
            print("page | median ms | max ms | under 300 ms")
            for page in pages {
                var times: [Double] = []
                for _ in 0..<rounds {
                    var request = URLRequest(url: URL(string: base + page)!)
                    request.timeoutInterval = 120
                    let began = clock.now
                    let (_, response) = try await URLSession.shared.data(for: request)
                    let elapsed = clock.now - began
                    guard let status = (response as? HTTPURLResponse)?.statusCode, status < 400 else {
                        throw CLIError("GET \(page) failed")
                    }
                    times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
                let median = times.sorted()[times.count / 2]
                print(String(format: "%@ | %.1f | %.1f | %@", page, median, times.max()!, median < 300 ? "yes" : "no"))
            }
            // The pages timed are the full ones: the account's claim and the epoch's rewards are there.
            let (account, _) = try await URLSession.shared.data(from: URL(string: base + "/accounts/\(owner)")!)
            let (epochPage, _) = try await URLSession.shared.data(from: URL(string: base + "/epochs/\(last)?page=100")!)
            guard String(decoding: account, as: UTF8.self).contains("id=\"claim\""),
                String(decoding: epochPage, as: UTF8.self).contains("/devices/")
            else { throw CLIError("the account page shows no claim, or the epoch page no rewards") }
        }
    }
}
