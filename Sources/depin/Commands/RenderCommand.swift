import Agent
import ArgumentParser
import Compute
import Core
import Foundation
import Ledger

/// `depin render`: the rendering network's customer side.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render jobs: make a test scene, submit a job, follow it, fetch its frames, compare frames.",
        subcommands: [Scene.self, Submit.self, Status.self, Fetch.self, Compare.self])

    /// `depin render scene OUT.blend`: a generated test scene.
    struct Scene: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a test scene with Blender (a ball rolling past a box, Cycles on CPU).")
        @Argument(help: "Where to save the .blend file.") var out: String
        @Option(name: .long, help: "Frames in the animation.") var frames = 12
        @Option(name: .long, help: "Cycles samples per pixel.") var samples = 16
        @Option(name: .long, help: "Width in pixels (height is 3/4 of it).") var width = 160
        @Option(name: .long, help: "The Blender executable.") var blender = "blender"

        func run() async throws {
            guard (1...10_000).contains(frames), (1...65_536).contains(samples), (8...8_192).contains(width) else {
                throw CLIError("--frames is 1 to 10000, --samples 1 to 65536, --width 8 to 8192")
            }
            let path = URL(fileURLWithPath: out).path
            do { try BlenderRenderer(executable: blender).makeScene(at: path, frames: frames, samples: samples, width: width) } catch {
                throw CLIError("\(error)")
            }
            print(path)
        }
    }

    /// `depin render submit SCENE --frames A-B --cap CREDITS`.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a scene and submit a render job; the cap is escrowed from your credits, the unspent rest returns.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The .blend scene.") var scene: String
        @Option(name: .long, help: "The frames, e.g. 1-48 or 7.") var frames: String
        @Option(name: .long, help: "The most the job may cost, in credits.") var cap: String
        @Option(name: .long, help: "Cycles samples per pixel (0 keeps the scene's).") var samples: UInt32 = 0
        @Option(name: .long, help: "priority or economy.") var tier = "priority"
        @Option(name: .long, help: "The creator's key file.") var key = "creator.key"

        func run() async throws {
            let parts = frames.split(separator: "-").map { UInt32($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil }) else {
                throw CLIError("--frames is FIRST-LAST or one frame, e.g. 1-48")
            }
            guard let data = FileManager.default.contents(atPath: scene) else { throw CLIError("cannot read \(scene)") }
            let client = try node.client
            let reply: NodeClient.Reply
            do { reply = try await client.put("/v1/content", body: data) } catch {
                throw CLIError("cannot reach the node at \(client.baseURL): \(error.localizedDescription)")
            }
            guard reply.status == 201 else { throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "upload refused")") }
            let signer = try KeyFile.load(from: key)
            var transaction = Transaction()
            transaction.nonce = try await client.nextNonce(for: signer.address)
            transaction.timestampMs = Int64(Date().timeIntervalSince1970 * 1000)
            transaction.submitRenderJob.sceneSha256 = SHA256Digest.hex(data)
            transaction.submitRenderJob.frameStart = parts[0]!
            transaction.submitRenderJob.frameEnd = parts.last!!
            transaction.submitRenderJob.samples = samples
            transaction.submitRenderJob.format = "PNG"
            transaction.submitRenderJob.tier = tier
            transaction.submitRenderJob.priceCapCredits = cap
            transaction.sign(with: signer)
            _ = try await client.submit(transaction)
            print(TransactionRules.renderJobID(transaction))
        }
    }

    /// `depin render status JOB`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job's progress; --wait follows it to the end with a progress bar.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The job id.") var job: String
        @Flag(name: .long, help: "Wait until every frame is done.") var wait = false
        @Option(name: .long, help: "With --wait: give up after this many seconds.") var timeout = 3_600.0
        @Flag(name: .long, help: "Print the job as JSON.") var json = false

        func run() async throws {
            let client = try node.client
            let started = Date()
            let terminal = isatty(STDERR_FILENO) == 1
            var shown = -1
            while true {
                let view = try await client.json("/v1/render/jobs/\(job)")
                let details = view["job"] as? [String: Any] ?? [:]
                let total = (details["frame_end"] as? Int ?? 0) - (details["frame_start"] as? Int ?? 0) + 1
                let done = (details["frames"] as? [String: Int])?["done"] ?? 0
                let finished = details["state"] as? String == "done"
                if json && (!wait || finished) {
                    let data = try JSONSerialization.data(withJSONObject: view, options: [.prettyPrinted, .sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                let width = 30
                let filled = total > 0 ? done * width / total : 0
                let line = "[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
                    + "\(done)/\(total) frames, \(details["spent"] as? String ?? "0") of \(details["cap"] as? String ?? "?") credits spent"
                if !wait || finished {
                    if wait && terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    print(line + (finished ? ", done, \(details["refunded"] as? String ?? "0") refunded" : ""))
                    return
                }
                // A bar redrawn in place on a terminal; elsewhere (a log, CI) a line per change.
                if terminal {
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
                } else if done != shown {
                    FileHandle.standardError.write(Data("\(line)\n".utf8))
                }
                shown = done
                guard Date().timeIntervalSince(started) < timeout else {
                    throw CLIError("job \(job) is not done after \(Int(timeout)) s (\(done)/\(total) frames)")
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// `depin render fetch JOB --out DIR`.
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a job's finished frames, each checked against its SHA-256.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The job id.") var job: String
        @Option(name: .long, help: "The folder to write frame_NNNN.png into.") var out = "."

        func run() async throws {
            let client = try node.client
            let view = try await client.json("/v1/render/jobs/\(job)")
            let tasks = view["tasks"] as? [[String: Any]] ?? []
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            var written = 0
            for task in tasks where task["state"] as? String == "done" {
                guard let frame = task["frame"] as? Int, let output = task["output"] as? String else { continue }
                let data = try await client.getting("/v1/content/\(output)").body
                guard SHA256Digest.hex(data) == output else { throw CLIError("frame \(frame) does not match its hash \(output)") }
                try data.write(to: URL(fileURLWithPath: out + "/" + String(format: "frame_%04d.png", frame)), options: .atomic)
                written += 1
            }
            print("wrote \(written) of \(tasks.count) frames to \(out)")
            if written < tasks.count { throw ExitCode(3) }
        }
    }

    /// `depin render compare A.png B.png`: how alike two renders of a frame are.
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the PSNR (dB) of two PNG frames' decoded pixels, as the network's verification computes it.")
        @Argument(help: "The first PNG.") var first: String
        @Argument(help: "The second PNG.") var second: String
        @Option(name: .long, help: "Also write where the frames differ, as a PNG (differences ×8, black where equal).")
        var diff: String?

        func run() async throws {
            guard let a = FileManager.default.contents(atPath: first) else { throw CLIError("cannot read \(first)") }
            guard let b = FileManager.default.contents(atPath: second) else { throw CLIError("cannot read \(second)") }
            do {
                let (imageA, imageB) = (try PNGImage(png: a), try PNGImage(png: b))
                let psnr = try FrameComparison.psnr(imageA, imageB)
                print(psnr.isInfinite ? "identical pixels" : String(format: "PSNR %.2f dB", psnr))
                if let diff {
                    let picture = try FrameComparison.difference(imageA, imageB, gain: 8)
                    guard FileManager.default.createFile(atPath: diff, contents: picture.png()) else {
                        throw CLIError("cannot write \(diff)")
                    }
                }
            } catch let error as ImageError {
                throw CLIError("\(error)")
            }
        }
    }
}
