import Core
import Foundation

/// Which first renders get a second look: a deterministic draw, seeded by the epoch's entropy,
/// that a node cannot predict when it renders (the seed is an oracle's signature it has not
/// seen) and anyone can check afterwards.
public enum RenderSampling {
    /// The epoch's seed: SHA-256 of the oracle's signature of the epoch entropy message (interval
    /// = the epoch, timestamp = its start). Without an oracle key the seed is the genesis hash and
    /// the epoch, which a node could predict: run the node with its oracle key.
    public static func seed(epoch: Int64, startMs: Int64, oracle: SigningKey?, genesisHash: String) -> Data {
        guard let oracle else { return Data(SHA256Digest.hex(Data("\(genesisHash)|render|\(epoch)".utf8)).utf8) }
        var entropy = Entropy()
        entropy.interval = UInt64(max(epoch, 0))
        entropy.timestampMs = startMs
        entropy.sign(with: oracle)
        return entropy.value
    }

    /// The Cycles seed of a benchmark check for `device` at its `leases`-th lease when the draw
    /// falls under `percent`, else nil. A node cannot know the seed before it is asked, so it
    /// cannot answer with a picture rendered earlier.
    public static func benchmarkCheck(seed: Data, device: Address, leases: Int, percent: Int) -> Int? {
        let digest = SHA256Digest.hash(seed + Data("|benchmark|\(device)|\(leases)".utf8))
        let draw = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard draw % 100 < UInt64(max(percent, 0)) else { return nil }
        return checkSeed(digest)
    }

    /// A Cycles seed (1 to 2³¹ − 1, never the scenes' 0) from a digest.
    static func checkSeed(_ digest: Data) -> Int {
        let value = digest.dropFirst(8).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Int(value & 0x7FFF_FFFF) | 1
    }

    /// The seed of a check a node owes (it benchmarked again, or let a check run out): drawn the
    /// same way, without the chance.
    public static func owedCheck(seed: Data, device: Address, leases: Int) -> Int {
        checkSeed(SHA256Digest.hash(seed + Data("|benchmark|\(device)|\(leases)".utf8)))
    }

    /// Whether the first render of `frame` of `job` is verified: the draw falls under `percent`.
    public static func isSampled(seed: Data, job: String, frame: Int, percent: Int) -> Bool {
        guard percent > 0 else { return false }
        guard percent < 100 else { return true }
        let digest = SHA256Digest.hash(seed + Data("|\(job)|\(frame)".utf8))
        let draw = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return draw % 100 < UInt64(percent)
    }
}
