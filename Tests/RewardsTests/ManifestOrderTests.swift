import Core
import Foundation
import Testing

@testable import Rewards

/// The manifest's fast order is the order of its addresses' bytes.
@Suite struct ManifestOrderTests {
    @Test func ordersAsTheAddressBytesDo() throws {
        var generator = SystemRandomNumberGenerator()
        var entries: [EpochResult.ManifestEntry] = []
        for index in 0..<5_000 {
            var bytes = Data((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
            // Long shared prefixes, so that every one of the three integers decides some pairs.
            if index % 3 == 0 { bytes.replaceSubrange(0..<8, with: Data(repeating: 0x11, count: 8)) }
            if index % 5 == 0 { bytes.replaceSubrange(0..<16, with: Data(repeating: 0x22, count: 16)) }
            entries.append(.init(address: try EVMAddress(bytes: bytes), cumulative: Amount(UInt128(index))))
        }
        let fast = ManifestOrder.sorted(entries)
        let plain = entries.sorted { $0.address < $1.address }
        #expect(fast.map(\.address) == plain.map(\.address))
        #expect(fast.count == entries.count)
    }
}
