import Foundation

/// How alike two renders of the same frame are: peak signal-to-noise ratio over the red, green
/// and blue channels of the decoded pixels (alpha ignored), in decibels. Identical pixels give
/// infinity; two honest renders that differ only in sampling noise stay above the service's
/// threshold, a different image falls far below it (docs/rendering.md has the measurements).
public enum FrameComparison {
    /// The PSNR of `a` against `b`, in dB; `.infinity` when the pixels are identical.
    public static func psnr(_ a: PNGImage, _ b: PNGImage) throws(ImageError) -> Double {
        guard a.width == b.width, a.height == b.height else {
            throw ImageError("the frames differ in size: \(a.width)×\(a.height) and \(b.width)×\(b.height)")
        }
        var squared: UInt64 = 0
        for index in stride(from: 0, to: a.rgba.count, by: 4) {
            for channel in 0..<3 {
                let difference = Int(a.rgba[index + channel]) - Int(b.rgba[index + channel])
                squared += UInt64(difference * difference)
            }
        }
        guard squared > 0 else { return .infinity }
        let meanSquared = Double(squared) / Double(a.width * a.height * 3)
        return 10 * log10(255 * 255 / meanSquared)
    }

    /// Where two frames differ: each colour channel's absolute difference times `gain`
    /// (clamped), opaque, so a look shows what a mismatch is made of.
    public static func difference(_ a: PNGImage, _ b: PNGImage, gain: Int) throws(ImageError) -> PNGImage {
        guard a.width == b.width, a.height == b.height else {
            throw ImageError("the frames differ in size: \(a.width)×\(a.height) and \(b.width)×\(b.height)")
        }
        var rgba = [UInt8](repeating: 255, count: a.rgba.count)
        for index in 0..<a.rgba.count where index % 4 != 3 {
            rgba[index] = UInt8(min(abs(Int(a.rgba[index]) - Int(b.rgba[index])) * gain, 255))
        }
        return PNGImage(width: a.width, height: a.height, rgba: rgba)
    }

    /// The PSNR of two PNG files' pixels.
    public static func psnr(png a: Data, png b: Data) throws(ImageError) -> Double {
        try psnr(try PNGImage(png: a), try PNGImage(png: b))
    }
}
