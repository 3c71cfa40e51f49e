import Core
import Foundation
import Testing

/// `precedesBytewise` orders exactly as `lexicographicallyPrecedes`, on equal, prefixed, empty
/// and random byte strings, and so addresses sort as before.
struct ByteOrderTests {
    @Test func agreesWithLexicographicOrder() {
        var generator = SystemRandomNumberGenerator()
        var cases: [(Data, Data)] = [
            (Data(), Data()), (Data(), Data([0])), (Data([0]), Data()), (Data([1, 2]), Data([1, 2])),
            (Data([1, 2]), Data([1, 2, 0])), (Data([1, 3]), Data([1, 2, 9])), (Data([0xFF]), Data([0x00, 0xFF])),
        ]
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...6, using: &generator)
            let first = Data((0..<length).map { _ in UInt8.random(in: 0...3, using: &generator) })
            var second = first.prefix(Int.random(in: 0...length, using: &generator))
            second.append(contentsOf: (0..<Int.random(in: 0...3, using: &generator)).map { _ in UInt8.random(in: 0...3, using: &generator) })
            cases.append((first, Data(second)))
        }
        for (a, b) in cases {
            #expect(a.precedesBytewise(b) == a.lexicographicallyPrecedes(b), "\(a.hexString) against \(b.hexString)")
            #expect(b.precedesBytewise(a) == b.lexicographicallyPrecedes(a), "\(b.hexString) against \(a.hexString)")
        }
    }
}
