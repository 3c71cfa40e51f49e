import Crypto
import Foundation

/// A checksum an S3 client sends with an upload in an `x-amz-checksum-ALGORITHM` header (base64
/// of the big-endian digest), which S3 verifies over the body it received and answers with.
/// CRC32 (ISO-HDLC, as zlib) and CRC32C (Castagnoli) are computed with tables, eight bytes a step;
/// SHA-1 and SHA-256 by swift-crypto. CRC64/NVME, S3's newest, is refused by name.
public struct PayloadChecksum: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case crc32, crc32c, sha1, sha256

        /// The header that carries it.
        public var header: String { "x-amz-checksum-" + rawValue }
        /// Its name as S3 writes it in messages.
        public var displayName: String { rawValue.uppercased() }
    }

    public let algorithm: Algorithm
    /// What the client declared, base64.
    public let declared: String
    private var crc: UInt32 = 0xFFFF_FFFF
    private var sha1 = Insecure.SHA1()
    private var sha256 = SHA256()

    /// The checksum a request's headers (lower-case names) declare; nil when none does. More
    /// than one, one this gateway does not compute, or a value that is not base64 of the
    /// algorithm's size is an error.
    public static func declared(in headers: [String: String]) throws(S3Error) -> PayloadChecksum? {
        // Not x-amz-checksum-type, -algorithm or -mode, which name no value.
        let named = headers.keys.filter { name in
            name == "x-amz-checksum-crc64nvme" || Algorithm.allCases.contains { $0.header == name }
        }
        guard !named.isEmpty else { return nil }
        guard named.count == 1, let name = named.first else {
            throw S3Error(.invalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
        }
        guard let algorithm = Algorithm.allCases.first(where: { $0.header == name }) else {
            throw S3Error(.invalidRequest, "\(name) is not supported here; send CRC32, CRC32C, SHA1 or SHA256")
        }
        let value = headers[name] ?? ""
        let size = algorithm == .sha1 ? 20 : algorithm == .sha256 ? 32 : 4
        guard let digest = Data(base64Encoded: value), digest.count == size else {
            throw S3Error(.invalidRequest, "Value for \(name) header is invalid.")
        }
        return PayloadChecksum(algorithm: algorithm, declared: value)
    }

    init(algorithm: Algorithm, declared: String) {
        self.algorithm = algorithm
        self.declared = declared
    }

    /// Feeds the next bytes of the body.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// Feeds the next bytes of the body.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch algorithm {
        case .crc32: crc = Self.update(crc, bytes, tables: Self.crc32Tables)
        case .crc32c: crc = Self.update(crc, bytes, tables: Self.crc32cTables)
        case .sha1: sha1.update(bufferPointer: bytes)
        case .sha256: sha256.update(bufferPointer: bytes)
        }
    }

    /// The body's checksum, base64, as S3 writes it.
    public func computed() -> String {
        switch algorithm {
        case .crc32, .crc32c: return Data(withUnsafeBytes(of: (~crc).bigEndian) { Array($0) }).base64EncodedString()
        case .sha1: return Data(sha1.finalize()).base64EncodedString()
        case .sha256: return Data(sha256.finalize()).base64EncodedString()
        }
    }

    /// The body's checksum, after checking it is the one declared.
    public func verified() throws(S3Error) -> String {
        let value = computed()
        guard value == declared else {
            throw S3Error(.badDigest, "The \(algorithm.displayName) you specified did not match the calculated checksum.")
        }
        return value
    }

    /// The CRC after `bytes`, eight bytes a step ("slicing by 8": table t gives a byte's effect
    /// t bytes further on), then one at a time.
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer, tables: [UInt32]) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            var crc = crc
            var offset = 0
            let count = bytes.count
            while offset + 8 <= count {
                let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                crc =
                    t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)] ^ t[5 * 256 + Int((low >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(low >> 24)] ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                offset += 8
            }
            while offset < count {
                crc = t[Int(UInt8(truncatingIfNeeded: crc) ^ bytes[offset])] ^ (crc >> 8)
                offset += 1
            }
            return crc
        }
    }

    /// Eight tables of 256 for the reflected polynomial `polynomial`: the first is the
    /// byte-at-a-time table, and each next one a byte further.
    static func tables(_ polynomial: UInt32) -> [UInt32] {
        var tables = (0..<256).map { index in
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ polynomial : value >> 1 }
            return value
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables.append(tables[Int(previous & 0xFF)] ^ (previous >> 8))
            }
        }
        return tables
    }

    static let crc32Tables = tables(0xEDB8_8320)
    static let crc32cTables = tables(0x82F6_3B78)
}
