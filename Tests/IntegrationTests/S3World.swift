import Foundation
import Testing

/// A storage network on loopback for S3 tests: a node running the S3 gateway, storage-node
/// agents onboarded and announcing themselves, and an access key pair for the aws CLI and boto3.
final class S3World: @unchecked Sendable {
    // Used from one test at a time.
    let world: IntegrationWorld
    var disks: [Process] = []
    var s3URL = ""
    var accessKeyID = ""
    var secret = ""
    var orderer = ""
    var capacity = ""

    /// Starts the node with `storage` as its `[services.storage]` parameters and `disks`
    /// storage nodes of `capacity` each.
    init(
        storage: [String: Int], disks count: Int, capacity: String = "400MB", nodeArguments: [String] = [], extraGenesis: String = ""
    ) async throws {
        world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("keys", "new", "--out", "maker.key")
        let maker = try world.depin("keys", "show", "--key", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let orderer = try world.depin("keys", "new", "--out", "orderer.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("init", "--token", "Storage Token", "--symbol", "STO", "--maker", maker, "--allocate", "\(owner)=1000000")
        let genesisPath = world.directory + "/network.toml"
        var genesis = try String(contentsOfFile: genesisPath, encoding: .utf8)
        let table = storage.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined() + extraGenesis
        genesis = genesis.replacingOccurrences(of: "kinds = [\"storage-node\"]\n", with: "kinds = [\"storage-node\"]\n" + table)
        try genesis.write(toFile: genesisPath, atomically: true, encoding: .utf8)
        try await world.startNode(extra: ["--s3-port", "0", "--orderer-key", "orderer.key"] + nodeArguments)
        let port = try await DemoCommandTests.waitFor(seconds: 30) {
            (try? String(contentsOfFile: self.world.directory + "/data/s3.port", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        s3URL = "http://127.0.0.1:\(port)"
        self.orderer = orderer
        self.capacity = capacity
        try await addDisks(count)
        // The owner pays for storage in credits: half its tokens burned for them.
        _ = try world.depin("wallet", "burn", "--key", "owner.key", "--amount", "500000")
        let created = try world.depin("storage", "access-key", "create", "--key", "owner.key", "--json")
        let key = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])
        accessKeyID = try #require(key["access_key_id"] as? String)
        secret = try #require(key["secret_access_key"] as? String)
    }

    /// Onboards and starts `count` more storage nodes, and waits until the node lists them all.
    func addDisks(_ count: Int) async throws {
        for index in disks.count..<(disks.count + count) {
            _ = try world.depin(
                "device", "onboard", "--owner-key", "owner.key", "--device-key", "disk\(index).key", "--maker-key", "maker.key",
                "--kind", "storage-node")
            disks.append(
                try DepinBinary.start(
                    [
                        "agent", "storage-node", "--key", "disk\(index).key", "--state-dir", "disk\(index)", "--capacity", capacity,
                        "--orderer", orderer, "--interval", "1", "--port", "\(try StorageNodeCommandTests.quietPort())",
                    ], in: world.directory, log: world.directory + "/disk\(index).log", environment: world.environment))
        }
        let total = disks.count
        _ = try await DemoCommandTests.waitFor(seconds: 60) { () async -> Bool? in
            let nodes = try? await self.world.json("/v1/storage/nodes?limit=1000") as? [[String: Any]]
            return (nodes?.count ?? 0) >= total ? true : nil
        }
    }

    deinit {
        for disk in disks where disk.isRunning { kill(disk.processIdentifier, SIGKILL) }
    }

    /// The environment an S3 client needs: the key pair, a region, and no user configuration.
    var clientEnvironment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
            "S3_ENDPOINT": s3URL,
        ]
    }

    /// Runs `aws --endpoint-url S3 ARGS` in the world's directory.
    func aws(_ arguments: String..., environment: [String: String] = [:]) throws -> DepinBinary.Output {
        try Self.run(
            ["aws", "--endpoint-url", s3URL] + arguments, in: world.directory,
            environment: clientEnvironment.merging(environment) { $1 })
    }

    /// Runs `aws …` that must succeed; its standard output.
    func awsOK(_ arguments: String...) throws -> String {
        let output = try Self.run(["aws", "--endpoint-url", s3URL] + arguments, in: world.directory, environment: clientEnvironment)
        guard output.status == 0 else {
            throw HarnessError("aws \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }

    /// Runs a program found on PATH (`DepinBinary.capture`, output in files).
    static func run(_ arguments: [String], in directory: String, environment: [String: String]) throws -> DepinBinary.Output {
        try DepinBinary.capture("/usr/bin/env", arguments, in: directory, environment: environment)
    }

    /// Bytes of pieces on every storage node's disk.
    func pieceBytesOnDisk() -> Int {
        var total = 0
        for index in disks.indices {
            let root = world.directory + "/disk\(index)/pieces"
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let name as String in walker {
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + name),
                    attributes[.type] as? FileAttributeType == .typeRegular
                else { continue }
                total += (attributes[.size] as? Int) ?? 0
            }
        }
        return total
    }

    /// How many pieces storage node `index` holds on its disk.
    func pieceFiles(of index: Int) -> Int {
        let root = world.directory + "/disk\(index)/pieces"
        var count = 0
        for case let name as String in FileManager.default.enumerator(atPath: root) ?? .init() {
            if (try? FileManager.default.attributesOfItem(atPath: root + "/" + name))?[.type] as? FileAttributeType == .typeRegular {
                count += 1
            }
        }
        return count
    }

    /// Flips a byte in every piece storage node `index` holds; the number of pieces.
    func corruptPieces(of index: Int) throws -> Int {
        let root = world.directory + "/disk\(index)/pieces"
        var count = 0
        for case let name as String in FileManager.default.enumerator(atPath: root) ?? .init() {
            let path = root + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                var bytes = FileManager.default.contents(atPath: path), !bytes.isEmpty
            else { continue }
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: path))
            count += 1
        }
        return count
    }
}
