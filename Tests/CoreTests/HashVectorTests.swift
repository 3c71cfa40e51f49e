import Core
import Foundation
import Testing

/// Keccak-256 vectors from pycryptodome's implementation (scripts/keccak-vectors.py) and the
/// well-known empty and "abc" digests; SHA-256 from FIPS 180-2's examples.
@Suite struct HashVectorTests {
    static let keccak: [(Data, String)] = [
        (Data(), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        (Data("abc".utf8), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        (Data(repeating: 0x61, count: 135), "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"),
        (Data(repeating: 0x61, count: 136), "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"),
        (Data(repeating: 0x61, count: 137), "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"),
        (Data((0..<768).map { UInt8($0 % 256) }), "00e77ce2c4f77212a0d5df106b08157b77058479357a98a6039b457c469723e4"),
    ]

    @Test func keccak256MatchesTheReference() {
        for (input, digest) in Self.keccak {
            #expect(Keccak256.hash(input).hexString == digest, "length \(input.count)")
        }
    }

    @Test func sha256MatchesFIPS() {
        #expect(SHA256Digest.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256Digest.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func hexRoundTripsAndRefusesGarbage() {
        #expect(Data(hex: "0x00ffA0")?.hexString == "00ffa0")
        #expect(Data(hex: "abc") == nil)
        #expect(Data(hex: "zz") == nil)
    }
}
