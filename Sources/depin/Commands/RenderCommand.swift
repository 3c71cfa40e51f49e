import ArgumentParser
import Compute
import Foundation

/// `depin render`: the rendering network's customer side.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render jobs: compare frames.",
        subcommands: [Compare.self])

    /// `depin render compare A.png B.png`: how alike two renders of a frame are.
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the PSNR (dB) of two PNG frames' decoded pixels, as the network's verification computes it.")
        @Argument(help: "The first PNG.") var first: String
        @Argument(help: "The second PNG.") var second: String

        func run() async throws {
            let a = try Data(contentsOf: URL(fileURLWithPath: first))
            let b = try Data(contentsOf: URL(fileURLWithPath: second))
            do {
                let psnr = try FrameComparison.psnr(png: a, png: b)
                print(psnr.isInfinite ? "identical pixels" : String(format: "PSNR %.2f dB", psnr))
            } catch {
                throw CLIError("\(error)")
            }
        }
    }
}
