import Foundation

/// Radio propagation, for judging what a witness could have heard.
public enum RadioPhysics {
    /// Free-space path loss at `distanceM` metres and `frequencyHz`, dB (Friis):
    /// 20·log10(d) + 20·log10(f) − 147.55.
    public static func freeSpacePathLossDb(distanceM: Double, frequencyHz: Double) -> Double {
        20 * log10(max(distanceM, 1)) + 20 * log10(frequencyHz) - 147.55
    }

    /// The strongest signal a receiver `distanceM` away can see from a transmitter at
    /// `txPowerDbm` with the two antenna gains: nothing in open air loses less than free space.
    public static func maximumRssiDbm(
        txPowerDbm: Double, txGainDbi: Double, rxGainDbi: Double, distanceM: Double, frequencyHz: Double
    ) -> Double {
        txPowerDbm + txGainDbi + rxGainDbi - freeSpacePathLossDb(distanceM: distanceM, frequencyHz: frequencyHz)
    }
}
