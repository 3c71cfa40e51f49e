/// The rendering market at a glance.
public struct RenderMarketTotals: Sendable, Equatable, Codable {
    /// Nodes that have benchmarked.
    public var nodes: Int
    /// Nodes that asked for work since the given time.
    public var activeNodes: Int
    /// Jobs still open.
    public var openJobs: Int
    /// Frames waiting for a first render, a check or a tie-break, and frames being rendered.
    public var waitingFrames: Int
    public var renderingFrames: Int
    /// Frames settled, in all jobs.
    public var doneFrames: Int

    /// Totals.
    public init(nodes: Int, activeNodes: Int, openJobs: Int, waitingFrames: Int, renderingFrames: Int, doneFrames: Int) {
        self.nodes = nodes
        self.activeNodes = activeNodes
        self.openJobs = openJobs
        self.waitingFrames = waitingFrames
        self.renderingFrames = renderingFrames
        self.doneFrames = doneFrames
    }
}
