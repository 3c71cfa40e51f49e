import Core

/// A node's benchmark as it reported it: the reference scene rendered with its own renderer.
public struct RenderNodeBenchmark: Sendable, Equatable {
    public var device: PublicKey
    /// SHA-256 of the scene it rendered; must be the network's reference scene.
    public var scene: String
    /// SHA-256 of the PNG it rendered, in the content store.
    public var output: String
    public var benchmarkMs: Int64
    public var renderer: String
    /// The reputation a new node starts at.
    public var startReputation: Int
    /// The reference scene the genesis pins, if it does; otherwise the first benchmark's scene
    /// becomes the reference.
    public var pinnedScene: String?
    public var nowMs: Int64

    /// A benchmark.
    public init(
        device: PublicKey, scene: String, output: String, benchmarkMs: Int64, renderer: String, startReputation: Int,
        pinnedScene: String?, nowMs: Int64
    ) {
        self.device = device
        self.scene = scene
        self.output = output
        self.benchmarkMs = benchmarkMs
        self.renderer = renderer
        self.startReputation = startReputation
        self.pinnedScene = pinnedScene
        self.nowMs = nowMs
    }
}
