/// Thousandths, the fixed-point unit of multipliers (reputation, progress tiers, bonuses), and
/// how they are shown: as a decimal string with three places, so that explanations and the API
/// never carry a float.
public enum Permille {
    /// `permille` as "1.500"; negative values as "-0.250".
    public static func decimal(_ permille: Int) -> String {
        let magnitude = permille.magnitude
        return (permille < 0 ? "-" : "") + "\(magnitude / 1_000).\(String(1_000 + magnitude % 1_000).dropFirst())"
    }
}
