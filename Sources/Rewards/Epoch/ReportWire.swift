import Foundation

/// The top level of a signed report's wire bytes, read without decoding it: where its device's
/// key is, when it was made, and its fields other than the key and the signature. An epoch's
/// close groups ten million stored reports by these alone and keeps each as the few bytes of its
/// body, nonce and time (a decoded report is a couple of hundred bytes of memory).
///
/// Only well-formed bytes are read here: anything unusual (a group, a field of an unexpected
/// wire type, a varint past ten bytes, a length past the end) gives nil, and the caller decodes
/// the report fully instead, so that what counts never depends on this reader.
enum ReportWire {
    /// The fields the grouping needs.
    struct Fields {
        /// The device field's bytes (the last one, as a decoder keeps), empty when absent.
        var device: Range<Int> = 0..<0
        /// The `timestamp_ms` field (the last one), 0 when absent.
        var timestampMs: Int64 = 0
        /// Every field but `device` (1) and `signature` (15), as written, in order.
        var kept: [Range<Int>] = []
    }

    static let deviceField: UInt64 = 1
    static let timestampField: UInt64 = 3
    static let signatureField: UInt64 = 15

    /// The fields of `bytes`, or nil when they are not plainly well formed.
    static func fields(_ bytes: UnsafeRawBufferPointer) -> Fields? {
        var fields = Fields()
        var offset = 0
        while offset < bytes.count {
            let start = offset
            guard let tag = varint(bytes, &offset), tag >> 3 > 0 else { return nil }
            let number = tag >> 3
            switch tag & 7 {
            case 0:
                guard let value = varint(bytes, &offset) else { return nil }
                if number == timestampField { fields.timestampMs = Int64(bitPattern: value) }
                guard number != deviceField, number != signatureField else { return nil }
            case 1:
                guard number != deviceField, number != timestampField, number != signatureField, offset + 8 <= bytes.count
                else { return nil }
                offset += 8
            case 2:
                guard let length = varint(bytes, &offset), length <= UInt64(bytes.count - offset),
                    number != timestampField
                else { return nil }
                if number == deviceField { fields.device = offset..<(offset + Int(length)) }
                offset += Int(length)
            case 5:
                guard number != deviceField, number != timestampField, number != signatureField, offset + 4 <= bytes.count
                else { return nil }
                offset += 4
            default:
                return nil
            }
            if number != deviceField, number != signatureField { fields.kept.append(start..<offset) }
        }
        return fields
    }

    /// Reads a varint at `offset` and moves past it; nil past the end or past ten bytes.
    static func varint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 70 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
