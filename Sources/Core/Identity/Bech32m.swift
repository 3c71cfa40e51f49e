/// Bech32m (BIP-350): the checksummed base-32 text encoding behind depin addresses.
///
/// The checksum detects any error in up to four characters and every transposition of two
/// neighbours, which is why it was chosen over base58check for a string people copy by hand.
public enum Bech32m {
    static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    static let checksumConstant: UInt32 = 0x2bc8_30a3
    static let reverseCharset: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, character) in charset.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    /// A Bech32m string split into its human-readable part and its 5-bit data values.
    public struct Decoded: Sendable, Equatable {
        /// The human-readable part, lower case.
        public var humanReadablePart: String
        /// The data part as 5-bit values, checksum removed.
        public var values: [UInt8]
    }

    /// Encodes 5-bit `values` under `humanReadablePart` (lower case).
    public static func encode(humanReadablePart: String, values: [UInt8]) -> String {
        let hrp = Array(humanReadablePart.lowercased().utf8)
        let checksum = createChecksum(hrp: hrp, values: values)
        var out = hrp
        out.append(UInt8(ascii: "1"))
        for value in values + checksum { out.append(charset[Int(value)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes and checks a Bech32m string.
    public static func decode(_ string: String) throws(AddressError) -> Decoded {
        let bytes = Array(string.utf8)
        guard bytes.count <= 90 else { throw AddressError(.wrongLength, "an address is at most 90 characters") }
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else {
            throw AddressError(.invalidCharacter, "an address holds printable ASCII characters only")
        }
        let hasLower = bytes.contains { $0 >= 97 && $0 <= 122 }
        let hasUpper = bytes.contains { $0 >= 65 && $0 <= 90 }
        guard !(hasLower && hasUpper) else {
            throw AddressError(.mixedCase, "an address is all lower case or all upper case")
        }
        let lowered = Array(string.lowercased().utf8)
        guard let separator = lowered.lastIndex(of: UInt8(ascii: "1")), separator >= 1 else {
            throw AddressError(.missingSeparator, "an address has a prefix, the separator '1', and a data part")
        }
        guard lowered.count - separator - 1 >= 6 else {
            throw AddressError(.wrongLength, "the data part is shorter than its 6-character checksum")
        }
        let hrp = Array(lowered[..<separator])
        var values: [UInt8] = []
        values.reserveCapacity(lowered.count - separator - 1)
        for character in lowered[(separator + 1)...] {
            let value = character < 128 ? reverseCharset[Int(character)] : -1
            guard value >= 0 else {
                throw AddressError(
                    .invalidCharacter,
                    "'\(Character(UnicodeScalar(character)))' is not a Bech32 character"
                )
            }
            values.append(UInt8(value))
        }
        guard polymod(expand(hrp) + values) == checksumConstant else {
            throw AddressError(.badChecksum, "the checksum does not match: the address is mistyped")
        }
        return Decoded(humanReadablePart: String(decoding: hrp, as: UTF8.self), values: Array(values.dropLast(6)))
    }

    /// Regroups bits, e.g. 8-bit bytes into 5-bit values; `pad` allows a partial last group.
    public static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0
        var bits = 0
        var out: [UInt8] = []
        let maxValue = (1 << to) - 1
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            accumulator = (accumulator << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || ((accumulator << (to - bits)) & maxValue) != 0 {
            return nil
        }
        return out
    }

    static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = ((checksum & 0x1ff_ffff) << 5) ^ UInt32(value)
            for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 {
                checksum ^= generator[index]
            }
        }
        return checksum
    }

    static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    static func createChecksum(hrp: [UInt8], values: [UInt8]) -> [UInt8] {
        let mod = polymod(expand(hrp) + values + [0, 0, 0, 0, 0, 0]) ^ checksumConstant
        return (0..<6).map { UInt8((mod >> (5 * (5 - UInt32($0)))) & 31) }
    }
}
