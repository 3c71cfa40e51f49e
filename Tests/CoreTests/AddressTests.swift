import Core
import Foundation
import Testing

@Suite struct AddressTests {
    /// BIP-350's valid Bech32m strings.
    @Test(arguments: [
        "A1LQFN3A", "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v", "?1v759aa",
    ])
    func decodesBIP350ValidStrings(_ text: String) throws {
        _ = try Bech32m.decode(text)
    }

    /// BIP-350's invalid Bech32m strings.
    @Test(arguments: [
        "qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i", "au1s5cgom",
        "M1VUXWEZ", "16plkw9", "1p2gdwpf",
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
    ])
    func refusesBIP350InvalidStrings(_ text: String) {
        #expect(throws: AddressError.self) { try Bech32m.decode(text) }
    }

    @Test func roundTripsAKey() throws {
        let key = SigningKey()
        let text = key.address.description
        #expect(text.hasPrefix("depin1q"))
        #expect(text.count == 65)
        #expect(try Address(parsing: text) == key.address)
        #expect(try Address(parsing: text.uppercased()) == key.address)
    }

    @Test func namesEachMistake() throws {
        let text = SigningKey().address.description
        var chars = Array(text)
        chars[20] = chars[20] == "q" ? "p" : "q"
        #expect(throws: AddressError(.badChecksum, "the checksum does not match: the address is mistyped")) {
            try Address(parsing: String(chars))
        }
        let other = Bech32m.encode(
            humanReadablePart: "other", values: Bech32m.convertBits([0] + Array(Data(count: 32)), from: 8, to: 5, pad: true)!)
        #expect(code(other) == .wrongPrefix)
        let short = Bech32m.encode(humanReadablePart: "depin", values: [0, 1, 2])
        #expect(code(short) == .wrongLength)
        let otherType = Bech32m.encode(
            humanReadablePart: "depin",
            values: Bech32m.convertBits([7] + Array(SigningKey().publicKey.rawRepresentation), from: 8, to: 5, pad: true)!)
        #expect(code(otherType) == .unknownKeyType)
        #expect(code(text.prefix(30) + text.suffix(30).uppercased()) == .mixedCase)
        #expect(code("depin") == .missingSeparator)
        #expect(code("") == .missingSeparator)
        #expect(code("depin1é") == .invalidCharacter)
        #expect(code(String(repeating: "q", count: 200)) == .wrongLength)
    }

    @Test func neverCrashesOnNoise() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l1bio-QPZ ")
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<100, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            _ = try? Address(parsing: "depin1" + text)
            _ = try? Address(parsing: text)
        }
    }

    private func code(_ text: String) -> AddressError.Code? {
        do {
            _ = try Address(parsing: text)
            return nil
        } catch {
            return error.code
        }
    }
}
