import Core
import Foundation
import Ledger

/// How the explorer writes numbers and times.
enum ExplorerFormat {
    /// Base units as whole tokens with the token's decimals, thousands grouped: "1,250.5 DEMO".
    static func tokens(_ amount: Amount, _ genesis: Genesis) -> String {
        let digits = String(amount.units)
        let decimals = genesis.token.decimals
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        let whole = String(padded.dropLast(decimals))
        var fraction = decimals > 0 ? String(padded.suffix(decimals)) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let grouped = group(whole)
        return (fraction.isEmpty ? grouped : grouped + "." + fraction) + " " + genesis.token.symbol
    }

    /// Whole tokens as a Double, for charts only.
    static func tokenValue(_ amount: Amount, _ genesis: Genesis) -> Double {
        var scale = 1.0
        for _ in 0..<genesis.token.decimals { scale *= 10 }
        return Double(amount.units) / scale
    }

    static func group(_ digits: String) -> String {
        var out = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }

    /// A UTC time: "2026-11-26 02:10:33".
    static func time(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(ms) / 1000)) + " UTC"
    }

    /// The window within which a device that reported counts as online: two epochs, between a
    /// minute and an hour.
    static func onlineWindowMs(_ genesis: Genesis) -> Int64 {
        min(max(2 * Int64(genesis.epochs.lengthSeconds) * 1000, 60_000), 3_600_000)
    }
}
