/// What a balance counts: transferable tokens, or the credits that burning them makes.
public enum Asset: String, Sendable, Hashable, Codable, CaseIterable {
    /// The network's token, in base units.
    case token
    /// Non-transferable credits, spent on the networks' services.
    case credit
}
