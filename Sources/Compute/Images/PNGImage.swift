import CZlib
import Foundation

/// A decoded PNG: its pixels as 8-bit RGBA, row by row. Frames are compared by their decoded
/// pixels, never by file bytes: the same render written twice differs in its metadata.
///
/// Reads what renderers write: non-interlaced PNGs of colour types greyscale, RGB, palette,
/// greyscale with alpha and RGBA, at bit depth 8 (and 16, reduced to 8). Checks every chunk's
/// CRC and the image data's zlib checksum.
public struct PNGImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// width × height × 4 bytes: red, green, blue, alpha.
    public let rgba: [UInt8]

    /// An image from its pixels.
    public init(width: Int, height: Int, rgba: [UInt8]) {
        precondition(rgba.count == width * height * 4, "RGBA pixels are width × height × 4 bytes")
        self.width = width
        self.height = height
        self.rgba = rgba
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Decodes a PNG file's bytes.
    public init(png data: Data) throws(ImageError) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8, Array(bytes[0..<8]) == Self.signature else { throw ImageError("not a PNG file") }
        var offset = 8
        var header: (width: Int, height: Int, depth: Int, colour: Int)?
        var palette: [UInt8] = []
        var transparency: [UInt8] = []
        var compressed: [UInt8] = []
        var ended = false
        while !ended {
            guard offset + 12 <= bytes.count else { throw ImageError("the PNG ends inside a chunk") }
            let length = Int(Self.bigEndian(bytes, offset))
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            guard length <= bytes.count - offset - 12 else { throw ImageError("the \(type) chunk runs past the end") }
            let body = offset + 8
            let stored = Self.bigEndian(bytes, body + length)
            let computed = bytes.withUnsafeBufferPointer { buffer in
                UInt32(crc32(0, buffer.baseAddress! + offset + 4, UInt32(length + 4)))
            }
            guard stored == computed else { throw ImageError("the \(type) chunk's CRC does not match") }
            switch type {
            case "IHDR":
                guard length == 13 else { throw ImageError("IHDR is 13 bytes") }
                let width = Int(Self.bigEndian(bytes, body))
                let height = Int(Self.bigEndian(bytes, body + 4))
                guard (1...65_535).contains(width), (1...65_535).contains(height), width * height <= 100_000_000 else {
                    throw ImageError("a frame is 1 to 65535 pixels a side and at most 100 megapixels, got \(width)×\(height)")
                }
                guard bytes[body + 12] == 0 else { throw ImageError("interlaced PNGs are not read") }
                header = (width, height, Int(bytes[body + 8]), Int(bytes[body + 9]))
            case "PLTE": palette = Array(bytes[body..<body + length])
            case "tRNS": transparency = Array(bytes[body..<body + length])
            case "IDAT": compressed.append(contentsOf: bytes[body..<body + length])
            case "IEND": ended = true
            default: break
            }
            offset = body + length + 4
        }
        guard let header else { throw ImageError("the PNG has no IHDR chunk") }
        let channels: Int
        switch (header.colour, header.depth) {
        case (0, 8), (0, 16): channels = 1
        case (2, 8), (2, 16): channels = 3
        case (3, 8): channels = 1
        case (4, 8), (4, 16): channels = 2
        case (6, 8), (6, 16): channels = 4
        default: throw ImageError("colour type \(header.colour) at bit depth \(header.depth) is not read")
        }
        let sampleBytes = header.depth / 8
        let pixelBytes = channels * sampleBytes
        let stride = header.width * pixelBytes
        let raw = try Self.inflate(compressed, expected: (stride + 1) * header.height)
        let rows = try Self.unfilter(raw, stride: stride, height: header.height, pixelBytes: pixelBytes)
        var rgba = [UInt8](repeating: 255, count: header.width * header.height * 4)
        for pixel in 0..<header.width * header.height {
            // The high byte of a 16-bit sample is its 8-bit value, rounded down.
            func sample(_ channel: Int) -> UInt8 { rows[pixel * pixelBytes + channel * sampleBytes] }
            let out = pixel * 4
            switch header.colour {
            case 0, 4:
                rgba[out] = sample(0)
                rgba[out + 1] = sample(0)
                rgba[out + 2] = sample(0)
                if header.colour == 4 { rgba[out + 3] = sample(1) }
            case 3:
                let index = Int(sample(0))
                guard index * 3 + 2 < palette.count else { throw ImageError("a pixel names palette entry \(index), past the palette") }
                rgba[out] = palette[index * 3]
                rgba[out + 1] = palette[index * 3 + 1]
                rgba[out + 2] = palette[index * 3 + 2]
                if index < transparency.count { rgba[out + 3] = transparency[index] }
            default:
                rgba[out] = sample(0)
                rgba[out + 1] = sample(1)
                rgba[out + 2] = sample(2)
                if header.colour == 6 { rgba[out + 3] = sample(3) }
            }
        }
        self.init(width: header.width, height: header.height, rgba: rgba)
    }

    static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// zlib-inflates exactly `expected` bytes. The stream lives at one heap address for its
    /// whole life: zlib keeps a pointer back to it and checks it on every call.
    static func inflate(_ compressed: [UInt8], expected: Int) throws(ImageError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard inflateInit_(stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ImageError("zlib would not start")
        }
        var input = compressed
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = UInt32(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = UInt32(target.count)
                let status = CZlib.inflate(stream, Z_FINISH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return status
            }
        }
        let produced = Int(stream.pointee.total_out)
        inflateEnd(stream)
        guard status == Z_STREAM_END, produced == expected else {
            throw ImageError("the image data does not inflate to \(expected) bytes (zlib status \(status))")
        }
        return output
    }

    /// Undoes the per-row filters (None, Sub, Up, Average, Paeth).
    static func unfilter(_ raw: [UInt8], stride: Int, height: Int, pixelBytes: Int) throws(ImageError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let target = row * stride
            for index in 0..<stride {
                let x = raw[source + index]
                let left = index >= pixelBytes ? out[target + index - pixelBytes] : 0
                let up = row > 0 ? out[target - stride + index] : 0
                let upLeft = row > 0 && index >= pixelBytes ? out[target - stride + index - pixelBytes] : 0
                let value: UInt8
                switch filter {
                case 0: value = x
                case 1: value = x &+ left
                case 2: value = x &+ up
                case 3: value = x &+ UInt8((Int(left) + Int(up)) / 2)
                case 4:
                    let estimate = Int(left) + Int(up) - Int(upLeft)
                    let (a, b, c) = (abs(estimate - Int(left)), abs(estimate - Int(up)), abs(estimate - Int(upLeft)))
                    value = x &+ (a <= b && a <= c ? left : b <= c ? up : upLeft)
                default: throw ImageError("row \(row) has unknown filter \(filter)")
                }
                out[target + index] = value
            }
        }
        return out
    }
}

/// An image that cannot be read or compared.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) { self.description = description }
}
