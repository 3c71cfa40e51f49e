import Core
import Foundation
@testable import Node
import Store
import Testing

@Suite struct SignatureVerifierTests {
    @Test func aBatchSplitAcrossThreadsKeepsItsOrderAndFindsTheOneBadSignature() async throws {
        let world = try await NodeWorld()
        let hotspot = SigningKey()
        var reports = (1...200).map { world.heartbeat(hotspot, nonce: UInt64($0)) }
        reports[130].signature[0] ^= 1
        let verifier = SignatureVerifier(threads: 3)
        let checked = try await verifier.verify(reports, admission: world.state.admission, nowMs: world.nowMs)
        #expect(checked.count == 200)
        for (index, result) in checked.enumerated() {
            switch result {
            case .success(let verified):
                #expect(index != 130)
                #expect(verified.report.nonce == UInt64(index + 1))
                #expect(verified.device == hotspot.publicKey)
            case .failure(let error):
                #expect(index == 130)
                #expect(error.code == "bad_signature")
            }
        }
    }

    /// The verifier's threads carry a name of their own, so that a breakdown of the node's threads
    /// (`depin bench ingest`'s) tells them from the PostgreSQL store's pool: both are NIO thread
    /// pools, whose threads are otherwise all TP-#n.
    @Test func theVerifiersThreadsAreNamedApartFromOtherThreadPools() async throws {
        let world = try await NodeWorld()
        let hotspot = SigningKey()
        let verifier = SignatureVerifier(threads: 2)
        let reports = (1...(4 * SignatureVerifier.chunk)).map { world.heartbeat(hotspot, nonce: UInt64($0)) }
        _ = try await verifier.verify(reports, admission: world.state.admission, nowMs: world.nowMs)
        #if os(Linux)
        let names = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap {
            try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        }
        #expect(names.contains(SignatureVerifier.threadName), "\(names)")
        #endif
    }
}
