/// Why a render node's report or result did not count, with what it means for the owner.
public enum RenderReason: String, Sendable, CaseIterable {
    case badJob = "render_bad_job"
    case badOutput = "render_bad_output"
    case badRenderTime = "render_bad_time"
    case badRenderer = "render_bad_renderer"

    /// What the code means.
    public var explanation: String {
        switch self {
        case .badJob: "the job id is not 16 lower-case hex digits"
        case .badOutput: "an image or scene hash is not 64 lower-case hex digits"
        case .badRenderTime: "the render time is not between 1 ms and 24 hours"
        case .badRenderer: "the renderer's name is empty or longer than 200 bytes"
        }
    }

    static func isJobID(_ text: String) -> Bool { text.count == 16 && text.allSatisfy(\.isLowerHex) }
    static func isSHA256(_ text: String) -> Bool { text.count == 64 && text.allSatisfy(\.isLowerHex) }
}

extension Character {
    var isLowerHex: Bool { isHexDigit && !isUppercase }
}
