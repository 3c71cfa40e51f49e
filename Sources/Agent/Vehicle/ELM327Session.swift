import Core
import Foundation

/// A conversation with an ELM327 OBD-II adapter: AT commands to set it up, then requests by mode
/// and PID, with the adapter's answers parsed into data bytes (hex, with or without spaces and
/// headers, single frames or ISO-TP multi-frame answers with numbered lines).
public struct ELM327Session {
    /// How the session reaches the adapter: a line out, everything up to the `>` prompt back.
    public protocol Link {
        mutating func exchange(_ command: String) throws -> String
    }

    var link: any Link
    /// The adapter's identification from ATZ ("ELM327 v1.5").
    public private(set) var identification = ""

    /// A session over `link`.
    public init(link: any Link) {
        self.link = link
    }

    /// Resets the adapter and sets it up: echo, linefeeds, spaces and headers off, automatic protocol.
    public mutating func start() throws {
        let reset = try link.exchange("ATZ")
        identification = Self.lines(reset).last { $0.uppercased().hasPrefix("ELM") } ?? ""
        guard !identification.isEmpty else { throw DeviceLinkError("the adapter did not identify as an ELM327: \(reset.debugDescription)") }
        for command in ["ATE0", "ATL0", "ATS0", "ATH0", "ATSP0"] {
            let answer = try link.exchange(command)
            guard Self.lines(answer).contains("OK") else { throw DeviceLinkError("\(command) was refused: \(answer.debugDescription)") }
        }
    }

    /// The data bytes of the answer to `mode` and `pid` (after the echoed mode + 0x40 and PID), or
    /// nil when the vehicle has no data for it.
    public mutating func request(mode: UInt8, pid: UInt8?) throws -> [UInt8]? {
        let command = String(format: "%02X", mode) + (pid.map { String(format: "%02X", $0) } ?? "")
        let answer = try link.exchange(command)
        guard let bytes = Self.payload(answer) else { return nil }
        // A positive answer echoes the mode plus 0x40, then the PID. Another service's answer
        // (ELM327-emulator answers 01 A6 as service 21 does, 61 A6 …) is no reading of this one.
        let skip = pid == nil ? 1 : 2
        guard bytes.count >= skip, bytes[0] == mode | 0x40 else { return nil }
        if let pid, bytes[1] != pid {
            throw DeviceLinkError("the answer to \(command) is for another request: \(answer.debugDescription)")
        }
        return Array(bytes.dropFirst(skip))
    }

    /// The hex bytes of an answer: its lines less prompts, status lines and ISO-TP frame numbers;
    /// nil for NO DATA and friends.
    static func payload(_ answer: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var multiFrame = false
        for var line in lines(answer) {
            let upper = line.uppercased()
            if upper.contains("NO DATA") || upper.contains("UNABLE TO CONNECT") || upper.contains("ERROR") || upper == "?" {
                return nil
            }
            if upper.hasPrefix("SEARCHING") || upper.hasPrefix("BUS INIT") { continue }
            if let colon = line.firstIndex(of: ":") {
                multiFrame = true
                line = String(line[line.index(after: colon)...])
            } else if bytes.isEmpty, !multiFrame, line.replacingOccurrences(of: " ", with: "").count == 3 {
                // The total length line of a multi-frame answer ("014").
                multiFrame = true
                continue
            }
            let hex = line.replacingOccurrences(of: " ", with: "")
            guard hex.count % 2 == 0, let decoded = Data(hex: hex) else { continue }
            bytes += decoded
        }
        return bytes.isEmpty ? nil : bytes
    }

    static func lines(_ answer: String) -> [String] {
        answer.replacingOccurrences(of: ">", with: "").split(whereSeparator: { $0 == "\r" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
