import CZlib
import Foundation

extension PNGImage {
    /// The image as a PNG: 8-bit RGBA, no filtering, zlib-compressed from the system's zlib.
    public func png() -> Data {
        var raw = [UInt8]()
        raw.reserveCapacity(height * (width * 4 + 1))
        for row in 0..<height {
            raw.append(0)
            raw += rgba[(row * width * 4)..<((row + 1) * width * 4)]
        }
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = [UInt8]()
        Self.appendBigEndian(UInt32(width), to: &header)
        Self.appendBigEndian(UInt32(height), to: &header)
        header += [8, 6, 0, 0, 0]
        Self.appendChunk("IHDR", header, to: &out)
        Self.appendChunk("IDAT", Self.deflate(raw), to: &out)
        Self.appendChunk("IEND", [], to: &out)
        return out
    }

    private static func deflate(_ raw: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(size))
        let status = compressed.withUnsafeMutableBufferPointer { target in
            raw.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &size, source.baseAddress, uLong(raw.count), 6)
            }
        }
        precondition(status == Z_OK, "zlib compress2 failed with \(status) on a buffer of its own bound")
        return Array(compressed.prefix(Int(size)))
    }

    private static func appendChunk(_ type: String, _ body: [UInt8], to out: inout Data) {
        var chunk = [UInt8]()
        appendBigEndian(UInt32(body.count), to: &chunk)
        let typed = Array(type.utf8) + body
        chunk += typed
        let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        appendBigEndian(crc, to: &chunk)
        out.append(contentsOf: chunk)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
