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
}
