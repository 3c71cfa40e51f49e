import Core
import Foundation
import Storage
import Testing

/// The checksums S3 clients send with uploads, against their published check values.
@Suite struct PayloadChecksumTests {
    func checksum(_ header: String, of text: String, declared: String) throws -> PayloadChecksum {
        var checksum = try #require(try PayloadChecksum.declared(in: [header: declared, "content-type": "text/plain"]))
        let bytes = Array(text.utf8)
        // In two pieces, as a body arrives.
        checksum.update(bytes[..<4])
        checksum.update(bytes[4...])
        return checksum
    }

    @Test func theCheckValuesOf123456789() throws {
        // CRC-32/ISO-HDLC 0xCBF43926 and CRC-32C 0xE3069283 (the CRC catalogue's check values).
        let crc32 = Data([0xCB, 0xF4, 0x39, 0x26]).base64EncodedString()
        let crc32c = Data([0xE3, 0x06, 0x92, 0x83]).base64EncodedString()
        #expect(try checksum("x-amz-checksum-crc32", of: "123456789", declared: crc32).verified() == crc32)
        #expect(try checksum("x-amz-checksum-crc32c", of: "123456789", declared: crc32c).verified() == crc32c)
        let sha256 = Data(hex: "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225")!.base64EncodedString()
        #expect(try checksum("x-amz-checksum-sha256", of: "123456789", declared: sha256).verified() == sha256)
        let sha1 = Data(hex: "f7c3bc1d808e04732adf679965ccc34ca7ae3441")!.base64EncodedString()
        #expect(try checksum("x-amz-checksum-sha1", of: "123456789", declared: sha1).verified() == sha1)
    }

    @Test func longBodiesInOddPiecesMatchTheBytewiseDefinition() throws {
        // A kilobyte and a bit, fed in pieces of 1, 7, 8, 13… bytes: the eight-byte steps agree
        // with the bit-at-a-time definition of CRC-32.
        let bytes = (0..<1_037).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var expected: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            expected ^= UInt32(byte)
            for _ in 0..<8 { expected = expected & 1 == 1 ? (expected >> 1) ^ 0xEDB8_8320 : expected >> 1 }
        }
        let declared = Data(withUnsafeBytes(of: (~expected).bigEndian) { Array($0) }).base64EncodedString()
        var checksum = try #require(try PayloadChecksum.declared(in: ["x-amz-checksum-crc32": declared]))
        var offset = 0
        for size in [1, 7, 8, 13, 64, 1_000] where offset < bytes.count {
            let end = min(offset + size, bytes.count)
            checksum.update(bytes[offset..<end])
            offset = end
        }
        #expect(offset == bytes.count)
        #expect(try checksum.verified() == declared)
    }

    @Test func aWrongOrMalformedChecksumIsRefused() throws {
        let wrong = try checksum("x-amz-checksum-crc32", of: "12345678X", declared: Data([0xCB, 0xF4, 0x39, 0x26]).base64EncodedString())
        #expect(throws: S3Error.self) { try wrong.verified() }
        #expect(try PayloadChecksum.declared(in: ["content-md5": "x", "x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "FULL_OBJECT"]) == nil)
        #expect(throws: S3Error.self) { try PayloadChecksum.declared(in: ["x-amz-checksum-crc32": "not base64!"]) }
        #expect(throws: S3Error.self) { try PayloadChecksum.declared(in: ["x-amz-checksum-crc64nvme": "AAAAAAAAAAA="]) }
        #expect(throws: S3Error.self) {
            try PayloadChecksum.declared(in: ["x-amz-checksum-crc32": "AAAAAA==", "x-amz-checksum-sha1": "AAAAAA=="])
        }
    }
}
