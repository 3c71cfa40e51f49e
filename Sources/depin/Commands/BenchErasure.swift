import ArgumentParser
import Foundation
import Storage

extension BenchCommand {
    /// `depin bench erasure`: Reed-Solomon throughput against zfec and ISA-L on the same pieces.
    struct Erasure: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reed-Solomon encode and decode MB/s per core: this Swift code against zfec (PyPI) and ISA-L (libisal).",
            discussion: """
                For each code (k of n), k data pieces of --piece-kib KiB are coded into n - k parity pieces, and the \
                first min(n - k, k) data pieces are rebuilt from the next k pieces (the worst case), each --rounds \
                times on one core, into memory allocated beforehand; MB/s counts the k data pieces. Both sides \
                prepare once what depends only on the code and the pieces chosen (tables, inverse), and time the \
                coding. The references run the same code and sizes: zfec \
                through its Python binding, ISA-L through a C harness compiled here against Debian's libisal \
                (scripts/setup.sh installs both). Build with -c release for meaningful numbers.
                """)
        @Option(name: .long, help: "Codes to time, as K/N, comma-separated.") var codes = "29/80,4/6"
        @Option(name: .long, help: "Each piece's size in KiB.") var pieceKib = 256
        @Option(name: .long, help: "Rounds of each operation.") var rounds = 20
        @Option(name: .long, help: "The repository's scripts folder.") var scripts = "scripts"

        struct Speeds {
            var encode: Double
            var decode: Double
        }

        func run() async throws {
            let pairs = try codes.split(separator: ",").map { text -> (Int, Int) in
                let parts = text.split(separator: "/").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 1, parts[0] < parts[1], parts[1] <= 255 else {
                    throw CLIError("--codes is K/N pairs with 1 <= K < N <= 255, e.g. 29/80,4/6")
                }
                return (parts[0], parts[1])
            }
            guard (1...65_536).contains(pieceKib), (1...10_000).contains(rounds) else {
                throw CLIError("--piece-kib is between 1 and 65536, --rounds between 1 and 10000")
            }
            let harness = try compileISAL()
            print("piece \(pieceKib) KiB, \(rounds) rounds, one core; MB/s of data (k pieces)")
            print("code    op       swift     zfec    ISA-L   swift/zfec  swift/ISA-L")
            for (k, n) in pairs {
                let length = pieceKib * 1024
                let swift = try measureSwift(k: k, n: n, length: length)
                let zfec = try reference(["python3", scripts + "/bench/zfec-erasure.py"], k: k, n: n, length: length)
                let isal = try reference([harness], k: k, n: n, length: length)
                for (name, ours, theirs, fastest) in [
                    ("encode", swift.encode, zfec.encode, isal.encode), ("decode", swift.decode, zfec.decode, isal.decode),
                ] {
                    print(
                        String(
                            format: "%-7@ %-7@ %8.0f %8.0f %8.0f %11.2f %12.2f", "\(k)/\(n)", name, ours, theirs, fastest,
                            ours / theirs, ours / fastest))
                }
            }
        }

        /// This package's code on the same sizes, prepared once as the ISA-L harness prepares its
        /// tables and inverse once: parity written into preallocated pieces, and the lost data
        /// pieces rebuilt from k others into preallocated memory.
        func measureSwift(k: Int, n: Int, length: Int) throws -> Speeds {
            let code = try ErasureCode(k: k, n: n)
            var generator = SystemRandomNumberGenerator()
            var pieces = [UInt8](repeating: 0, count: n * length)
            for index in 0..<(k * length) { pieces[index] = UInt8.random(in: 0...255, using: &generator) }
            let lost = min(n - k, k)
            var rebuilt = [UInt8](repeating: 0, count: lost * length)
            let encoder = code.encoder()
            let rebuilder = try code.rebuilder(for: Array(0..<lost), from: Array(lost..<(lost + k)))
            let clock = ContinuousClock()
            let (encode, decode) = pieces.withUnsafeMutableBytes { buffer -> (Duration, Duration) in
                let base = buffer.baseAddress!
                let data = encoder.sources.map { UnsafeRawPointer(base + $0 * length) }
                let parity = encoder.targets.map { base + $0 * length }
                encoder.rebuild(from: data, into: parity, length: length)
                let encode = clock.measure { for _ in 0..<rounds { encoder.rebuild(from: data, into: parity, length: length) } }
                let sources = rebuilder.sources.map { UnsafeRawPointer(base + $0 * length) }
                let decode = rebuilt.withUnsafeMutableBytes { target -> Duration in
                    let targets = (0..<lost).map { target.baseAddress! + $0 * length }
                    return clock.measure { for _ in 0..<rounds { rebuilder.rebuild(from: sources, into: targets, length: length) } }
                }
                return (encode, decode)
            }
            guard rebuilt[...] == pieces[0..<(lost * length)] else { throw CLIError("the lost data pieces were rebuilt wrong") }
            let megabytes = Double(k * length * rounds) / 1e6
            return Speeds(encode: megabytes / Self.seconds(encode), decode: megabytes / Self.seconds(decode))
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }

        /// Runs a reference harness and reads its JSON line.
        func reference(_ command: [String], k: Int, n: Int, length: Int) throws -> Speeds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command + ["\(k)", "\(n)", "\(length)", "\(rounds)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let encode = json["encode_mb_s"] as? Double, let decode = json["decode_mb_s"] as? Double
            else { throw CLIError("\(command.joined(separator: " ")) failed (scripts/setup.sh installs zfec and libisal-dev)") }
            return Speeds(encode: encode, decode: decode)
        }

        /// The ISA-L harness, compiled into a temporary folder.
        func compileISAL() throws -> String {
            let binary = FileManager.default.temporaryDirectory.appendingPathComponent("depin-isal-erasure-\(UUID())").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["cc", "-O2", "-o", binary, scripts + "/bench/isal-erasure.c", "-lisal"]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CLIError("cannot compile \(scripts)/bench/isal-erasure.c against libisal (apt-get install libisal-dev)")
            }
            return binary
        }
    }
}
