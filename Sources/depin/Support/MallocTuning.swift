#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// How the node asks glibc's allocator to hold memory. By default glibc gives busy threads arenas
/// of their own, up to eight a core, and keeps what they free for reuse: a long-running node's
/// resident heap then grows with the number of arenas and their fragments rather than with what
/// it holds (docs/performance.md, the soak). Fewer arenas and a periodic trim keep it near what
/// is live. Elsewhere than glibc this does nothing.
enum MallocTuning {
    /// glibc's M_ARENA_MAX (malloc.h).
    static let arenaMax: Int32 = -8

    /// The arenas `depin node` (and the demo's node) runs with unless told otherwise; a
    /// benchmark of the node's own work runs with them too.
    static let nodeArenas: Int32 = 2

    /// Caps glibc's arenas at `arenas` (0 leaves glibc's default), unless `MALLOC_ARENA_MAX` is
    /// set in the environment, which wins.
    static func limitArenas(_ arenas: Int32) {
        #if canImport(Glibc)
            guard arenas > 0, ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
            // mallopt(M_ARENA_MAX, n); malloc.h is not in Swift's Glibc module, so look it up.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: Mallopt.self)(Self.arenaMax, arenas)
        #endif
    }

    /// Hands free pages back to the system every `interval`, for the life of the process.
    static func trimPeriodically(every interval: Duration = .seconds(30)) {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            typealias MallocTrim = @convention(c) (Int) -> Int32
            let trim = unsafeBitCast(symbol, to: MallocTrim.self)
            Task.detached(priority: .background) {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    _ = trim(0)
                }
            }
        #endif
    }

    /// Checks a `--malloc-arenas` value.
    static func arenas(_ value: Int32) throws -> Int32 {
        guard (0...64).contains(value) else { throw CLIError("--malloc-arenas is from 0 (glibc's default) to 64, not \(value)") }
        return value
    }
}
