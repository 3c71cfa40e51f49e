import Core
import Foundation
import Testing

/// The S3 gateway as customers use it: the aws CLI (and boto3, from PyPI) against a node and
/// eight storage-node agents on loopback. Objects are coded 3 of 8, so any three honest storage
/// nodes rebuild every segment; audits disqualify a liar, and repair restores what was lost.
@Suite(.serialized) struct S3GatewayTests {
    static let storage = [
        "data_pieces": 3, "total_pieces": 8, "repair_threshold": 5, "segment_bytes": 4 << 20, "heartbeat_interval_s": 1,
    ]

    static func random(_ count: Int) throws -> Data {
        let handle = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        defer { try? handle.close() }
        return try #require(try handle.read(upToCount: count))
    }

    /// Whether `condition` holds within 20 seconds (pieces are deleted in the background).
    static func settle(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<80 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return condition()
    }

    static func sha(_ path: String) throws -> String {
        SHA256Digest.hex(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func theAwsCLIStoresObjectsThatSurviveDeadAndLyingNodes() async throws {
        // Audits every 2 seconds; one failed audit disqualifies (α = 2, λ = 0.9, threshold 0.8).
        // A segment is repaired as soon as it lacks any piece (threshold 8 of 8): the new storage
        // nodes below join one by one, and each is given its pieces whenever it arrives.
        let s3 = try await S3World(
            storage: Self.storage.merging(["audit_interval_s": 2, "audit_initial_alpha": 2, "repair_threshold": 8]) { $1 }, disks: 8,
            nodeArguments: ["--s3-max-upload", "32MiB"], extraGenesis: "audit_lambda = 0.9\ndisqualify_below = 0.8\n")
        let directory = s3.world.directory
        _ = try s3.awsOK("s3", "mb", "s3://media")

        // A 64 MiB file (a multipart upload of 8 MiB parts) and a directory of small files.
        let big = try Self.random(64 << 20)
        try big.write(to: URL(fileURLWithPath: directory + "/big.bin"))
        try FileManager.default.createDirectory(atPath: directory + "/small/deeper", withIntermediateDirectories: true)
        var small: [String: Data] = [:]
        for index in 0..<12 {
            let name = index == 0 ? "empty.txt" : index == 1 ? "with space ü.txt" : index % 3 == 0 ? "deeper/f\(index).bin" : "f\(index).bin"
            small[name] = index == 0 ? Data() : try Self.random(index * 7_919)
            try small[name]!.write(to: URL(fileURLWithPath: directory + "/small/" + name))
        }
        _ = try s3.awsOK("s3", "cp", "big.bin", "s3://media/big.bin", "--only-show-errors")
        _ = try s3.awsOK("s3", "cp", "--recursive", "small", "s3://media/small/", "--only-show-errors")

        let listed = try s3.awsOK("s3", "ls", "--recursive", "s3://media")
        #expect(listed.contains("67108864 big.bin"), "\(listed)")
        for (name, data) in small { #expect(listed.contains("\(data.count) small/\(name)"), "\(name) in \(listed)") }
        let top = try s3.awsOK("s3", "ls", "s3://media/small/")
        #expect(top.contains("PRE deeper/") && !top.contains("f3.bin"), "\(top)")

        // Everything reads back with matching checksums.
        _ = try s3.awsOK("s3", "cp", "s3://media/big.bin", "big.back", "--only-show-errors")
        #expect(try Self.sha(directory + "/big.back") == SHA256Digest.hex(big))
        _ = try s3.awsOK("s3", "cp", "--recursive", "s3://media/small", "small.back", "--only-show-errors")
        for (name, data) in small { #expect(try Self.sha(directory + "/small.back/" + name) == SHA256Digest.hex(data), "\(name)") }

        // Ranged GETs across a segment boundary (12 MiB) and a part boundary (16 MiB).
        for (first, last) in [(12_000_000, 13_000_000), (16_000_000, 17_000_000), (67_108_000, 67_108_863)] {
            _ = try s3.awsOK("s3api", "get-object", "--bucket", "media", "--key", "big.bin", "--range", "bytes=\(first)-\(last)", "range.bin")
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/range.bin")) == big[first...last], "bytes \(first)-\(last)")
        }

        // A multipart upload by hand: two parts, listed, completed, read back.
        let upload = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try s3.awsOK("s3api", "create-multipart-upload", "--bucket", "media", "--key", "joined.bin").utf8))
                as? [String: Any])
        let uploadID = try #require(upload["UploadId"] as? String)
        try big[0..<(5 << 20)].write(to: URL(fileURLWithPath: directory + "/part1.bin"))
        try big[(5 << 20)..<(6 << 20)].write(to: URL(fileURLWithPath: directory + "/part2.bin"))
        var etags: [String] = []
        for number in 1...2 {
            let answer = try s3.awsOK(
                "s3api", "upload-part", "--bucket", "media", "--key", "joined.bin", "--upload-id", uploadID, "--part-number",
                "\(number)", "--body", "part\(number).bin")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
            etags.append(try #require(object["ETag"] as? String))
        }
        let parts = try s3.awsOK("s3api", "list-parts", "--bucket", "media", "--key", "joined.bin", "--upload-id", uploadID)
        #expect(parts.contains("\"PartNumber\": 2") && parts.contains("\"Size\": 1048576"), "\(parts)")
        let completion = #"{"Parts": [{"PartNumber": 1, "ETag": \#(etags[0])}, {"PartNumber": 2, "ETag": \#(etags[1])}]}"#
        try completion.write(toFile: directory + "/parts.json", atomically: true, encoding: .utf8)
        let completed = try s3.awsOK(
            "s3api", "complete-multipart-upload", "--bucket", "media", "--key", "joined.bin", "--upload-id", uploadID,
            "--multipart-upload", "file://parts.json")
        #expect(completed.contains("-2\\\""), "\(completed)")
        _ = try s3.awsOK("s3", "cp", "s3://media/joined.bin", "joined.back", "--only-show-errors")
        #expect(try Self.sha(directory + "/joined.back") == SHA256Digest.hex(big[0..<(6 << 20)]))

        // An aborted upload is gone, and so are its pieces.
        let before = s3.pieceBytesOnDisk()
        let aborted = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try s3.awsOK("s3api", "create-multipart-upload", "--bucket", "media", "--key", "never.bin").utf8))
                as? [String: Any])
        let abortedID = try #require(aborted["UploadId"] as? String)
        _ = try s3.awsOK(
            "s3api", "upload-part", "--bucket", "media", "--key", "never.bin", "--upload-id", abortedID, "--part-number", "1",
            "--body", "part1.bin")
        #expect(s3.pieceBytesOnDisk() > before)
        _ = try s3.awsOK("s3api", "abort-multipart-upload", "--bucket", "media", "--key", "never.bin", "--upload-id", abortedID)
        let gone = try s3.aws("s3api", "list-parts", "--bucket", "media", "--key", "never.bin", "--upload-id", abortedID)
        #expect(gone.status != 0 && gone.stderr.contains("NoSuchUpload"), "\(gone.stderr)")
        #expect(await Self.settle { s3.pieceBytesOnDisk() == before } , "pieces on disk \(s3.pieceBytesOnDisk()), before \(before)")

        // Bad input: S3's errors, and nothing changes.
        let wrongKey = try s3.aws("s3", "ls", environment: ["AWS_SECRET_ACCESS_KEY": "not-the-secret"])
        #expect(wrongKey.status != 0 && wrongKey.stderr.contains("SignatureDoesNotMatch"), "\(wrongKey.stderr)")
        let unknownKey = try s3.aws("s3", "ls", environment: ["AWS_ACCESS_KEY_ID": "DPNAAAAAAAAAAAAAAAAA"])
        #expect(unknownKey.status != 0 && unknownKey.stderr.contains("InvalidAccessKeyId"), "\(unknownKey.stderr)")
        let noBucket = try s3.aws("s3api", "put-object", "--bucket", "nothing-here", "--key", "a", "--body", "part2.bin")
        #expect(noBucket.status != 0 && noBucket.stderr.contains("NoSuchBucket"), "\(noBucket.stderr)")
        let tooBig = try s3.aws("s3api", "put-object", "--bucket", "media", "--key", "huge.bin", "--body", "big.bin")
        #expect(tooBig.status != 0 && tooBig.stderr.contains("EntityTooLarge"), "\(tooBig.stderr)")
        let badDigest = try s3.aws(
            "s3api", "put-object", "--bucket", "media", "--key", "digest.bin", "--body", "part2.bin", "--content-md5",
            "AAAAAAAAAAAAAAAAAAAAAA==")
        #expect(badDigest.status != 0 && badDigest.stderr.contains("BadDigest"), "\(badDigest.stderr)")
        let notEmpty = try s3.aws("s3", "rb", "s3://media")
        #expect(notEmpty.status != 0 && notEmpty.stderr.contains("BucketNotEmpty"), "\(notEmpty.stderr)")
        let badName = try s3.aws("s3", "mb", "s3://Not_A_Bucket")
        #expect(badName.status != 0 && badName.stderr.contains("InvalidBucketName"), "\(badName.stderr)")
        let afterErrors = try s3.awsOK("s3", "ls", "--recursive", "s3://media")
        #expect(!afterErrors.contains("huge.bin") && !afterErrors.contains("digest.bin") && !afterErrors.contains("never.bin"))
        #expect(s3.pieceBytesOnDisk() == before, "a refused upload left pieces behind")

        // Two writers race for one key: the key holds one whole version, and the loser's pieces go.
        let first = try Self.random(3 << 20), second = try Self.random(3 << 20)
        try first.write(to: URL(fileURLWithPath: directory + "/first.bin"))
        try second.write(to: URL(fileURLWithPath: directory + "/second.bin"))
        let racers = ["first.bin", "second.bin"].map { body in
            Task.detached { try s3.aws("s3api", "put-object", "--bucket", "media", "--key", "raced.bin", "--body", body) }
        }
        for racer in racers { #expect(try await racer.value.status == 0) }
        _ = try s3.awsOK("s3", "cp", "s3://media/raced.bin", "raced.back", "--only-show-errors")
        let raced = try Self.sha(directory + "/raced.back")
        #expect(raced == SHA256Digest.hex(first) || raced == SHA256Digest.hex(second))
        let oneVersion = before + ((3 << 20) / 3 + 16) * 8
        #expect(await Self.settle { abs(s3.pieceBytesOnDisk() - oneVersion) < 64 }, "pieces on disk \(s3.pieceBytesOnDisk()), expected \(oneVersion)")

        // Four storage nodes die and a fifth corrupts every piece it holds: three honest nodes
        // remain, and every object still reads back intact.
        for index in 0..<4 { kill(s3.disks[index].processIdentifier, SIGKILL) }
        #expect(try s3.corruptPieces(of: 4) > 0)
        _ = try s3.awsOK("s3", "cp", "s3://media/big.bin", "big.again", "--only-show-errors")
        #expect(try Self.sha(directory + "/big.again") == SHA256Digest.hex(big))
        _ = try s3.awsOK("s3", "cp", "--recursive", "s3://media/small", "small.again", "--only-show-errors")
        for (name, data) in small { #expect(try Self.sha(directory + "/small.again/" + name) == SHA256Digest.hex(data), "\(name)") }
        _ = try s3.awsOK("s3", "cp", "s3://media/joined.bin", "joined.again", "--only-show-errors")
        #expect(try Self.sha(directory + "/joined.again") == SHA256Digest.hex(big[0..<(6 << 20)]))

        // The liar fails its audits and is disqualified. Five new storage nodes join, and repair
        // restores full redundancy: every segment has its eight pieces on the eight healthy nodes.
        let liar = try s3.world.depin("keys", "show", "--key", "disk4.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await DemoCommandTests.waitFor(seconds: 60) { () async -> Bool? in
            let reputations = try? await s3.world.json("/v1/storage/reputation") as? [[String: Any]]
            return reputations?.contains { $0["node"] as? String == liar && $0["disqualified_ms"] as? Int != nil } == true ? true : nil
        }
        try await s3.addDisks(5)
        let restored = try await DemoCommandTests.waitFor(seconds: 180) { () async -> [String: Any]? in
            guard let health = try? await s3.world.json("/v1/storage/health") as? [String: Any],
                health["healthy_storage_nodes"] as? Int == 8, health["below_repair_threshold"] as? Int == 0
            else { return nil }
            return health
        }
        let segments = try #require(restored["segments"] as? Int)
        for index in [5, 6, 7] + Array(8..<13) {
            #expect(await Self.settle { s3.pieceFiles(of: index) == segments }, "disk \(index) holds \(s3.pieceFiles(of: index)) of \(segments)")
        }
        _ = try s3.awsOK("s3", "cp", "s3://media/big.bin", "big.repaired", "--only-show-errors")
        #expect(try Self.sha(directory + "/big.repaired") == SHA256Digest.hex(big))
    }

    /// Audits and repair: a storage node that corrupts its pieces fails its audits and is
    /// disqualified, and its pieces are rebuilt on other nodes; so are a dead node's. Coded 2 of 4
    /// and repaired below 4, on six storage nodes; one failed audit disqualifies.
    @Test func aLyingNodeIsAuditedOutAndLostPiecesAreRepaired() async throws {
        let s3 = try await S3World(
            storage: [
                "data_pieces": 2, "total_pieces": 4, "repair_threshold": 4, "segment_bytes": 1 << 20, "heartbeat_interval_s": 1,
                "audit_interval_s": 1, "audit_initial_alpha": 2,
            ], disks: 6, extraGenesis: "audit_lambda = 0.9\ndisqualify_below = 0.8\n")
        let directory = s3.world.directory
        _ = try s3.awsOK("s3", "mb", "s3://vault")
        let files = [("one.bin", try Self.random(2_500_000)), ("two.bin", try Self.random(700_000)), ("three.txt", Data("hello".utf8))]
        for (name, data) in files {
            try data.write(to: URL(fileURLWithPath: directory + "/" + name))
            _ = try s3.awsOK("s3", "cp", name, "s3://vault/" + name, "--only-show-errors")
        }
        func health() async -> [String: Any]? { try? await s3.world.json("/v1/storage/health") as? [String: Any] }
        let first = try #require(await health())
        #expect(first["segments"] as? Int == 5 && first["below_repair_threshold"] as? Int == 0, "\(first)")

        // The liar: a storage node that holds pieces flips a byte in each of them.
        let liar = try #require((0..<6).first { s3.pieceFiles(of: $0) > 0 })
        let liarAddress = try s3.world.depin("keys", "show", "--key", "disk\(liar).key").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try s3.corruptPieces(of: liar) > 0)
        let disqualified = try await DemoCommandTests.waitFor(seconds: 60) { () async -> [String: Any]? in
            let reputations = try? await s3.world.json("/v1/storage/reputation") as? [[String: Any]]
            return reputations?.first { $0["node"] as? String == liarAddress && $0["disqualified_ms"] as? Int != nil }
        }
        #expect((disqualified["failures"] as? Int ?? 0) >= 1 && (disqualified["score"] as? Double ?? 1) < 0.8, "\(disqualified)")
        let audits = try #require(try await s3.world.json("/v1/storage/nodes/\(liarAddress)/audits") as? [[String: Any]])
        #expect(audits.contains { $0["result"] as? String == "failed" && ($0["detail"] as? String ?? "").contains("does not prove") }, "\(audits)")
        // Its pieces are rebuilt elsewhere, and it is told to delete them.
        let repaired = try await DemoCommandTests.waitFor(seconds: 60) { () async -> [String: Any]? in
            guard let now = await health(), now["below_repair_threshold"] as? Int == 0,
                (now["disqualified"] as? [String]) == [liarAddress]
            else { return nil }
            return now
        }
        #expect(repaired["healthy_storage_nodes"] as? Int == 5, "\(repaired)")
        #expect(await Self.settle { s3.pieceFiles(of: liar) == 0 }, "the disqualified node still holds \(s3.pieceFiles(of: liar)) pieces")

        // An honest node holding pieces dies: once it is no longer online, its pieces are rebuilt too.
        let dead = try #require((0..<6).first { $0 != liar && s3.pieceFiles(of: $0) > 0 })
        kill(s3.disks[dead].processIdentifier, SIGKILL)
        _ = try await DemoCommandTests.waitFor(seconds: 90) { () async -> Bool? in
            guard let now = await health() else { return nil }
            return now["healthy_storage_nodes"] as? Int == 4 && now["below_repair_threshold"] as? Int == 0 ? true : nil
        }
        for (name, data) in files {
            _ = try s3.awsOK("s3", "cp", "s3://vault/" + name, name + ".back", "--only-show-errors")
            #expect(try Self.sha(directory + "/" + name + ".back") == SHA256Digest.hex(data), "\(name)")
        }
        // Every segment now has its four pieces on the four healthy nodes.
        for index in 0..<6 where index != liar && index != dead { #expect(s3.pieceFiles(of: index) == 5, "disk \(index)") }
    }

    /// Payment: customers pay credits for bytes kept and downloaded, at prices set high enough
    /// here to see within seconds; what they pay is journalled and the ledger still verifies; an
    /// account whose credits run out may look but not store or download until it pays.
    @Test func customersPayForBytesKeptAndDownloaded() async throws {
        let s3 = try await S3World(
            storage: [
                "data_pieces": 2, "total_pieces": 4, "repair_threshold": 3, "heartbeat_interval_s": 1, "audit_interval_s": 1,
                "credits_per_gb_month": 1_000_000_000, "credits_per_gb_egress": 10_000_000,
            ], disks: 4)
        let directory = s3.world.directory
        let owner = try s3.world.depin("keys", "show", "--key", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try s3.world.depin("wallet", "burn", "--key", "owner.key", "--amount", "500000")
        let file = try Self.random(1_000_000)
        try file.write(to: URL(fileURLWithPath: directory + "/file.bin"))
        _ = try s3.awsOK("s3", "mb", "s3://paid")
        _ = try s3.awsOK("s3", "cp", "file.bin", "s3://paid/file.bin", "--only-show-errors")
        for round in 0..<2 { _ = try s3.awsOK("s3", "cp", "s3://paid/file.bin", "back\(round).bin", "--only-show-errors") }
        // 2 MB downloaded at 10⁷ credits per GB: 20,000 credits of egress, and the bytes kept.
        let paid = try await DemoCommandTests.waitFor(seconds: 30) { () async -> [String: Any]? in
            let account = try? await s3.world.json("/v1/storage/accounts/\(owner)") as? [String: Any]
            guard let account, account["unbilled_egress_bytes"] as? Int == 0,
                let credits = Int(account["paid_credits"] as? String ?? ""), credits > 20_000
            else { return nil }
            return account
        }
        #expect(paid["stored_bytes"] as? Int == 1_000_000 && paid["objects"] as? Int == 1 && paid["unpaid_credits"] as? String == "0", "\(paid)")
        let verified = try s3.world.depin("ledger", "verify", "--data-dir", "data")
        #expect(verified.contains("ledger ok") && !verified.contains("problem"), "\(verified)")

        // An account with no credits: its charge goes unpaid, and then it may list but not store.
        _ = try s3.world.depin("keys", "new", "--out", "poor.key")
        let created = try s3.world.depin("storage", "access-key", "create", "--key", "poor.key", "--json")
        let key = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])
        let poor = ["AWS_ACCESS_KEY_ID": try #require(key["access_key_id"] as? String), "AWS_SECRET_ACCESS_KEY": try #require(key["secret_access_key"] as? String)]
        #expect(try s3.aws("s3", "mb", "s3://poor-bucket", environment: poor).status == 0)
        #expect(try s3.aws("s3", "cp", "file.bin", "s3://poor-bucket/file.bin", environment: poor).status == 0)
        let refused = try await DemoCommandTests.waitFor(seconds: 30) { () -> DepinBinary.Output? in
            let again = try? s3.aws("s3", "cp", "file.bin", "s3://poor-bucket/again.bin", environment: poor)
            return again.flatMap { $0.status != 0 && $0.stderr.contains("AccountProblem") ? $0 : nil }
        }
        #expect(refused.stderr.contains("owes credits"), "\(refused.stderr)")
        #expect(try s3.aws("s3", "ls", "s3://poor-bucket", environment: poor).stdout.contains("file.bin"))
    }

    /// boto3, the AWS SDK for Python, through the calls a program makes: scripts/s3-boto3-check.py
    /// runs them and exits non-zero on the first that does not behave as S3 does.
    @Test func boto3BehavesAsAgainstS3() async throws {
        let s3 = try await S3World(storage: Self.storage, disks: 8)
        let script = DepinBinary.root.appendingPathComponent("scripts/s3-boto3-check.py").path
        let output = try S3World.run(["python3", script], in: s3.world.directory, environment: s3.clientEnvironment)
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.contains(" passed, 0 failed"), "\(output.stdout)")
    }
}
