import Core
import Foundation
import Geo

/// `depin geo cell` on standard input: 'lat,lng' lines in, one cell per line out, at the speed of
/// the conversion rather than of string handling (bytes read in large blocks, numbers parsed with
/// `strtod`, hex written by hand, output in large blocks).
struct CellStream {
    let resolution: Int

    /// Converts every line of `input` to `output`; an unreadable line stops the stream with an
    /// error that names it (the cells before it are already written).
    func run(input: FileHandle = .standardInput, output: FileHandle = .standardOutput) throws {
        var pending: [UInt8] = []
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        var lineNumber = 0
        defer { output.write(Data(out)) }
        while true {
            let block = input.readData(ofLength: 1 << 20)
            if block.isEmpty { break }
            pending.append(contentsOf: block)
            var start = 0
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                try convert(line: pending[start..<newline], number: lineNumber, into: &out)
                start = newline + 1
                if out.count >= 1 << 16 {
                    output.write(Data(out))
                    out.removeAll(keepingCapacity: true)
                }
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { try convert(line: pending[...], number: lineNumber + 1, into: &out) }
    }

    private func convert(line: ArraySlice<UInt8>, number: Int, into out: inout [UInt8]) throws {
        var bytes = Array(line)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return }
        guard let comma = bytes.firstIndex(of: UInt8(ascii: ",")),
            let latitude = Self.number(bytes[..<comma]), let longitude = Self.number(bytes[(comma + 1)...])
        else {
            throw CLIError("line \(number): expected 'lat,lng', got '\(String(decoding: bytes, as: UTF8.self))'")
        }
        let cell: H3Cell
        do { cell = try H3Cell(latitude: latitude, longitude: longitude, resolution: resolution) } catch {
            throw CLIError("line \(number): \(error.description)")
        }
        Self.appendHex(cell.index, to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    /// A decimal number with optional surrounding blanks, or nil.
    static func number(_ text: ArraySlice<UInt8>) -> Double? {
        var bytes = Array(text.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count < 64 else { return nil }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer -> Double? in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { start in
                var end: UnsafeMutablePointer<CChar>?
                let value = strtod(start, &end)
                guard let end, end == UnsafeMutablePointer(mutating: start) + (buffer.count - 1) else { return nil }
                return value
            }
        }
    }

    /// The lower-case hex form without leading zeros, as the reference library writes cells.
    static func appendHex(_ value: UInt64, to out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        var shift = 60
        while shift > 0 && value >> UInt64(shift) == 0 { shift -= 4 }
        digits.withUTF8Buffer { table in
            while shift >= 0 {
                out.append(table[Int(value >> UInt64(shift) & 0xf)])
                shift -= 4
            }
        }
    }
}
