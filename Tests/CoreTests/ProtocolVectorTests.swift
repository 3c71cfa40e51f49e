import Core
import Foundation
import Testing

/// Checks the Swift code against the test vectors printed in docs/protocol.md, which an
/// independent encoder made (scripts/protocol-vectors.py).
@Suite struct ProtocolVectorTests {
    static func documentedVectors() throws -> [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/protocol.md"), encoding: .utf8)
        var vectors: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("- `") {
            let parts = line.split(separator: "`")
            if parts.count >= 4 { vectors[String(parts[1])] = String(parts[3]) }
        }
        return vectors
    }

    static func bytes(_ vectors: [String: String], _ name: String) throws -> Data {
        let text = try #require(vectors[name], "docs/protocol.md lacks \(name)")
        return try #require(Data(hex: text))
    }

    @Test func reportMatchesTheDocumentedBytesAndSignature() throws {
        let vectors = try Self.documentedVectors()
        let key = try SigningKey(seed: try Self.bytes(vectors, "seed"))
        #expect(key.publicKey.hex == vectors["public_key"])
        #expect(key.address.description == vectors["address"])
        var report = Report()
        report.nonce = 1
        report.timestampMs = 1_767_225_600_000
        report.heartbeat.uptimeS = 3600
        report.heartbeat.agentVersion = "depin-agent/0.1.0"
        report.sign(with: key)
        #expect(report.signingBytes.hexString == vectors["report_signing_bytes"])
        #expect(report.signature.hexString == vectors["report_signature"])
        #expect(report.canonicalBytes.hexString == vectors["report_signed_bytes"])
        let decoded = try Report(wireBytes: try Self.bytes(vectors, "report_signed_bytes"))
        #expect(try decoded.verifySignature() == key.publicKey)
    }

    @Test func transferMatchesTheDocumentedBytesAndSignature() throws {
        let vectors = try Self.documentedVectors()
        let key = try SigningKey(seed: try Self.bytes(vectors, "seed"))
        var transaction = Transaction()
        transaction.nonce = 1
        transaction.timestampMs = 1_767_225_600_000
        transaction.transfer.to = try #require(vectors["recipient_address"])
        transaction.transfer.amount = "1500000"
        transaction.sign(with: key)
        #expect(transaction.signingBytes.hexString == vectors["transfer_signing_bytes"])
        #expect(transaction.signature.hexString == vectors["transfer_signature"])
        #expect(transaction.canonicalBytes.hexString == vectors["transfer_signed_bytes"])
    }

    @Test func aChangedFieldBreaksTheSignature() throws {
        let key = SigningKey()
        var report = Report()
        report.nonce = 7
        report.timestampMs = 1
        report.heartbeat.uptimeS = 1
        report.sign(with: key)
        #expect(try report.verifySignature() == key.publicKey)
        report.nonce = 8
        #expect(throws: SignatureError.self) { try report.verifySignature() }
    }

    @Test func cosignaturesSignTheSameBytes() throws {
        let owner = SigningKey()
        let device = SigningKey()
        var transaction = Transaction()
        transaction.nonce = 1
        transaction.onboardDevice.device = device.publicKey.rawRepresentation
        transaction.onboardDevice.kind = .meter
        transaction.sign(with: owner)
        transaction.cosign(with: device)
        #expect(try transaction.verifySignature() == owner.publicKey)
        #expect(device.publicKey.isValidSignature(transaction.cosignatures[0].signature, for: transaction.signingBytes))
    }
}
