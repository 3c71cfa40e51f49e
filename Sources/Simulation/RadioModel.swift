import Coverage
import Foundation

/// Radio propagation for simulated hotspots: log-distance path loss with log-normal shadowing,
/// antenna gains and a noise floor, so that geometry decides who hears whom.
///
///     PL(d) = FSPL(1 m) + 10·n·log10(d / 1 m) + X,   X ~ N(0, σ²)
///     RSSI  = P_tx + G_tx + G_rx − PL(d)
///     SNR   = RSSI − noise floor
///
/// A beacon is heard when RSSI ≥ the receiver sensitivity and SNR ≥ the demodulation floor.
/// Defaults: a US915 LoRa channel (915 MHz, 27 dBm), an urban exponent of 3.7, σ = 8 dB, noise
/// floor −117 dBm (thermal noise in 125 kHz plus a 6 dB noise figure), sensitivity −126 dBm (SF9).
public struct RadioModel: Sendable {
    public var frequencyHz: UInt64 = 915_000_000
    public var txPowerDbm: Double = 27
    public var pathLossExponent: Double = 3.7
    public var shadowingSigmaDb: Double = 8
    public var noiseFloorDbm: Double = -117
    public var sensitivityDbm: Double = -126
    public var minimumSnrDb: Double = -12.5
    public var maximumReportedSnrDb: Double = 10

    /// The defaults.
    public init() {}

    /// The signal a receiver `distanceM` away sees, or nil when it hears nothing.
    public func reception(
        distanceM: Double, txGainDbi: Double, rxGainDbi: Double, random: inout SeededGenerator
    ) -> (rssiDbm: Double, snrDb: Double)? {
        let reference = RadioPhysics.freeSpacePathLossDb(distanceM: 1, frequencyHz: Double(frequencyHz))
        let loss = reference + 10 * pathLossExponent * log10(max(distanceM, 1)) + shadowingSigmaDb * random.normal()
        let rssi = txPowerDbm + txGainDbi + rxGainDbi - loss
        // LoRa radios report SNR up to about +10 dB; stronger signals read the same.
        let snr = min(rssi - noiseFloorDbm, maximumReportedSnrDb)
        guard rssi >= sensitivityDbm, snr >= minimumSnrDb else { return nil }
        // Reported to a tenth of a dB, as radios do.
        return ((rssi * 10).rounded() / 10, (snr * 10).rounded() / 10)
    }
}
