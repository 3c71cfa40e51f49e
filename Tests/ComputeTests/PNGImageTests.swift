import Compute
import Foundation
import Testing

/// PNGs made by a separate encoder (Python's zlib and the PNG filter rules, written for these
/// tests), decoded here and compared with the pixels that went in.
@Suite struct PNGImageTests {
    /// 5×5 RGB, its five rows filtered None, Sub, Up, Average and Paeth in turn.
    static let rgb = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAIAAAACDbGyAAAAW0lEQVR4nAFQAK//AHlCvfIhBvCEd2Lw88tNdgFNxwfTig56vnRYt1HYHWoCbmoLJaxa6tAR5f/ZBpNoA7F3Sn5vC/MHvHFLfrX6UQTEvrfEpcq0PEOhGJe3aXz9wCbHlbXjwgAAAABJRU5ErkJggg=="
    )!
    static let rgbPixels =
        "7942bdfff22106fff08477ff62f0f3ffcb4d76ff4dc707ff205115ff9a0f89fff2c6daffcae344ffbb3112ff45fd6fff84df9affd7c5b3ffd076acff0e8f53ffa7356cff88913fff20f6f7ff2db022ffd24d0aff96dad4ff3c1617ffc1a98eff78129eff"
    /// 2×2 palette (red, green, blue) with red half transparent: rows red green, blue red.
    static let palette = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAMAAABFaP0WAAAACVBMVEX/AAAA/wAAAP8tSs2KAAAAAXRSTlOArV5bRgAAAA5JREFUeJxjYGBkYGIAAAAOAATGiHz4AAAAAElFTkSuQmCC")!
    /// 2×1 16-bit greyscale: 0x1234 and 0xabcd.
    static let grey16 = Data(
        base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABEAAAAACB2fwVAAAADUlEQVR4nGMQMll9FgADDAG/brnGXQAAAABJRU5ErkJggg==")!

    @Test func everyFilterDecodesToThePixelsEncoded() throws {
        let image = try PNGImage(png: Self.rgb)
        #expect(image.width == 5 && image.height == 5)
        #expect(image.rgba.map { String(format: "%02x", $0) }.joined() == Self.rgbPixels)
    }

    @Test func paletteGreyAndSixteenBitImagesDecode() throws {
        let palette = try PNGImage(png: Self.palette)
        #expect(palette.rgba == [255, 0, 0, 128, 0, 255, 0, 255, 0, 0, 255, 255, 255, 0, 0, 128])
        let grey = try PNGImage(png: Self.grey16)
        #expect(grey.rgba == [0x12, 0x12, 0x12, 255, 0xab, 0xab, 0xab, 255])
    }

    /// The encoder's output decodes (by the decoder checked above) to the pixels encoded, and a
    /// difference image shows only where two frames differ.
    @Test func encodedImagesRoundTripAndDifferencesShow() throws {
        let image = try PNGImage(png: Self.rgb)
        #expect(try PNGImage(png: image.png()) == image)
        var rgba = image.rgba
        rgba[0] &+= 3
        let touched = PNGImage(width: 5, height: 5, rgba: rgba)
        let difference = try FrameComparison.difference(image, touched, gain: 8)
        #expect(difference.rgba[0] == 24 && difference.rgba[1...2] == [0, 0] && difference.rgba[3] == 255)
        #expect(difference.rgba[4...].enumerated().allSatisfy { $0.offset % 4 == 3 ? $0.element == 255 : $0.element == 0 })
        #expect(throws: ImageError.self) { try FrameComparison.difference(image, try PNGImage(png: Self.palette), gain: 1) }
    }

    @Test func damagedFilesAreRefusedWithAReason() {
        var flipped = Self.rgb
        flipped[flipped.count - 20] ^= 0xff
        #expect(throws: ImageError.self) { try PNGImage(png: flipped) }
        #expect(throws: ImageError.self) { try PNGImage(png: Data("not a png".utf8)) }
        #expect(throws: ImageError.self) { try PNGImage(png: Self.rgb.prefix(40)) }
    }

    @Test func psnrIsInfiniteForTheSamePixelsAndFallsWithDifference() throws {
        let image = try PNGImage(png: Self.rgb)
        #expect(try FrameComparison.psnr(image, image) == .infinity)
        var nudged = image.rgba
        nudged[0] = nudged[0] &+ 3
        let close = try FrameComparison.psnr(image, PNGImage(width: 5, height: 5, rgba: nudged))
        // One channel of one pixel off by 3: MSE = 9/75.
        #expect(abs(close - 10 * log10(255.0 * 255.0 / (9.0 / 75.0))) < 1e-9)
        let black = PNGImage(width: 5, height: 5, rgba: [UInt8](repeating: 0, count: 100))
        #expect(try FrameComparison.psnr(image, black) < 10)
        #expect(throws: ImageError.self) { try FrameComparison.psnr(image, try PNGImage(png: Self.palette)) }
    }
}
