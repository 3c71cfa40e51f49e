import Core
import Foundation
import Ledger
@testable import Node
import Storage
import Store
import Testing

/// Mutation fuzzing of what the node decodes from strangers: reports and batches, transactions,
/// genesis files, S3 signatures and checksum headers and XML bodies. Each starts from a valid
/// input and is mutated at random (seeded, so a failure repeats): bits flipped, bytes set,
/// inserted, deleted, slices duplicated, the end cut off, and now and then bytes wholly random.
/// Nothing may crash, and nothing altered may pass a signature check.
/// DEPIN_FUZZ_INPUTS sets the inputs per decoder (5,000 by default).
@Suite(.serialized) struct DecoderFuzzTests {
    static let inputs = Int(ProcessInfo.processInfo.environment["DEPIN_FUZZ_INPUTS"] ?? "") ?? 5_000

    /// SplitMix64: a small seeded generator, so that every run tries the same inputs.
    struct Mutator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }

        /// `valid` with one to four mutations, or (one time in 32) random bytes.
        mutating func mutate(_ valid: Data) -> Data {
            if below(32) == 0 { return Data((0..<below(valid.count * 2 + 1)).map { _ in UInt8(truncatingIfNeeded: next()) }) }
            var bytes = [UInt8](valid)
            for _ in 0...below(4) {
                let at = below(bytes.count + 1)
                switch below(6) {
                case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= 1 << UInt8(below(8))
                case 1 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: next())
                case 2: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
                case 3 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
                case 4: bytes = Array(bytes.prefix(at))
                default:
                    let length = below(16)
                    let slice = bytes[at..<min(at + length, bytes.count)]
                    bytes.insert(contentsOf: slice, at: below(bytes.count + 1))
                }
            }
            return Data(bytes)
        }
    }

    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    @Test func mutatedReportsAndBatchesNeverPassAsSigned() async throws {
        let world = try await NodeWorld()
        let hotspot = SigningKey()
        let original = world.heartbeat(hotspot, nonce: 7)
        var twoReports = ReportBatch()
        twoReports.reports = [original, world.heartbeat(hotspot, nonce: 8)]
        let batch = twoReports
        let admission = world.state.admission
        let now = world.nowMs
        let (decoded, passed) = try await Self.offThePool { () -> (Int, Int) in
            var mutator = Mutator(state: 1)
            var decoded = 0
            var passed = 0
            for _ in 0..<Self.inputs {
                guard let report = try? Report(wireBytes: mutator.mutate(original.canonicalBytes)) else { continue }
                decoded += 1
                if case .success(let verified) = admission.verify(report, nowMs: now) {
                    passed += 1
                    // Only a mutation the encoding does not see (such as a field repeated with the
                    // same value) may pass, and then it is the original report.
                    #expect(report.signingBytes == original.signingBytes && report.signature == original.signature)
                    #expect(verified.device == hotspot.publicKey)
                }
            }
            for _ in 0..<Self.inputs {
                guard let mutated = try? ReportBatch(wireBytes: mutator.mutate(batch.canonicalBytes)) else { continue }
                for report in mutated.reports {
                    if case .success = admission.verify(report, nowMs: now) {
                        #expect(batch.reports.contains { $0.signingBytes == report.signingBytes && $0.signature == report.signature })
                    }
                }
            }
            return (decoded, passed)
        }
        print("fuzz: \(Self.inputs) report and \(Self.inputs) batch inputs; \(decoded) reports decoded, \(passed) verified (unchanged)")
        #expect(decoded > 0)
    }

    @Test func mutatedTransactionsNeverPassAsSigned() async throws {
        let world = try await NodeWorld()
        let original = world.onboarding(SigningKey())
        let decoded = try await Self.offThePool { () -> Int in
            var mutator = Mutator(state: 2)
            var decoded = 0
            for _ in 0..<Self.inputs {
                guard let transaction = try? Transaction(wireBytes: mutator.mutate(original.canonicalBytes)) else { continue }
                decoded += 1
                if (try? transaction.verifySignature()) != nil {
                    #expect(transaction.signingBytes == original.signingBytes && transaction.signature == original.signature)
                }
            }
            return decoded
        }
        print("fuzz: \(Self.inputs) transaction inputs; \(decoded) decoded")
        #expect(decoded > 0)
    }

    @Test func mutatedGenesisFilesAreReadOrRefusedWithALine() async throws {
        let text = try await NodeWorld().state.genesis.toml
        let (accepted, refused) = try await Self.offThePool { () -> (Int, Int) in
            var mutator = Mutator(state: 3)
            var accepted = 0
            var refused = 0
            for _ in 0..<Self.inputs {
                let mutated = String(decoding: mutator.mutate(Data(text.utf8)), as: UTF8.self)
                do {
                    _ = try Genesis(toml: mutated)
                    accepted += 1
                } catch let error as GenesisError {
                    refused += 1
                    #expect(!error.message.isEmpty)
                } catch {
                    Issue.record("not a GenesisError: \(error)")
                }
            }
            return (accepted, refused)
        }
        print("fuzz: \(Self.inputs) genesis files; \(accepted) read, \(refused) refused with a reason")
        #expect(refused > 0)
    }

    @Test func mutatedS3SignaturesChecksumsAndBodiesNeverPass() async throws {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let header =
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        @Sendable func request(_ authorization: String) -> SignatureV4.SignedRequest {
            SignatureV4.SignedRequest(
                method: "GET", path: "/test.txt", query: [],
                headers: [
                    "host": "examplebucket.s3.amazonaws.com", "range": "bytes=0-9", "x-amz-content-sha256": emptyHash,
                    "x-amz-date": "20130524T000000Z", "authorization": authorization,
                ])
        }
        let signedAt = Date(timeIntervalSince1970: 1_369_353_600)
        let original = try #require(try SignatureV4.authorization(of: request(header)))
        try SignatureV4.verify(original, request: request(header), secret: secret, payloadHash: emptyHash, now: signedAt)
        let body = """
            <CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"a54357aff0632cce46d942af68356b38"</ETag></Part>\
            <Part><PartNumber>2</PartNumber><ETag>"0c78aef83f66abc1fa1e8477f296d394"</ETag></Part></CompleteMultipartUpload>
            """
        let (parsed, passed) = try await Self.offThePool { () -> (Int, Int) in
            var mutator = Mutator(state: 4)
            var parsed = 0
            var passed = 0
            for _ in 0..<Self.inputs {
                let mutated = String(decoding: mutator.mutate(Data(header.utf8)), as: UTF8.self)
                guard let authorization = try? SignatureV4.authorization(of: request(mutated)) else { continue }
                parsed += 1
                if (try? SignatureV4.verify(
                    authorization, request: request(mutated), secret: secret, payloadHash: emptyHash, now: signedAt)) != nil
                {
                    passed += 1
                    // The key id only picks the secret (here always the same one); everything
                    // the signature covers must be the original's.
                    var covered = authorization
                    covered.accessKeyID = original.accessKeyID
                    #expect(covered == original)
                }
                let checksumHeader = String(decoding: mutator.mutate(Data("x-amz-checksum-crc32".utf8)), as: UTF8.self)
                _ = try? PayloadChecksum.declared(in: [checksumHeader: String(decoding: mutator.mutate(Data("AAAAAA==".utf8)), as: UTF8.self)])
            }
            for _ in 0..<Self.inputs {
                let xml = String(decoding: mutator.mutate(Data(body.utf8)), as: UTF8.self)
                for part in S3XML.elements("Part", in: xml[...]) {
                    _ = S3XML.value("PartNumber", in: part).map(S3XML.unescape)
                    _ = S3XML.value("ETag", in: part)
                }
            }
            return (parsed, passed)
        }
        print("fuzz: \(Self.inputs) S3 authorization headers (\(parsed) parsed, \(passed) verified, each the original), checksum headers and multipart bodies")
        #expect(parsed > 0)
    }
}
