import Core
import Foundation

/// What the mapping network knows after an epoch: every road cell ever mapped, when it was last
/// mapped, by whom and with which frames, and each driver's reputation. Each epoch starts from
/// the state the previous one left (`MappingService.close`), so freshness, map progress and
/// reputation carry across epochs while every epoch stays a function of its input.
///
/// Encoding (version 1, little-endian): a version byte; a u32 cell count, then per cell in
/// index order: u64 H3 index, i64 mapped ms, the 32-byte mapper key, a u8 frame count and per
/// frame the 32-byte SHA-256, i32 latitude and longitude in 10⁻⁷ degrees and i64 ms; then a u32
/// driver count and per driver in key order the 32-byte key and a u16 reputation in permille.
public struct MapState: Sendable, Equatable {
    /// One mapped cell.
    public struct Cell: Sendable, Equatable {
        /// When its newest counted frame was taken.
        public var mappedMs: Int64
        /// The dashcam that took it.
        public var mapper: Address
        /// The newest pass's frames in the cell (at most `framesPerCell`).
        public var frames: [Frame]

        /// A cell.
        public init(mappedMs: Int64, mapper: Address, frames: [Frame]) {
            self.mappedMs = mappedMs
            self.mapper = mapper
            self.frames = frames
        }
    }

    /// A frame as the map keeps it.
    public struct Frame: Sendable, Equatable {
        /// SHA-256 of its image.
        public var sha256: Data
        /// Latitude in 10⁻⁷ degrees.
        public var latE7: Int32
        /// Longitude in 10⁻⁷ degrees.
        public var lngE7: Int32
        /// When it was taken.
        public var timestampMs: Int64

        /// A frame from a dashcam's record.
        public init(_ record: FrameRecord) {
            sha256 = record.sha256
            latE7 = Int32((record.lat * 1e7).rounded())
            lngE7 = Int32((record.lng * 1e7).rounded())
            timestampMs = record.timestampMs
        }

        init(sha256: Data, latE7: Int32, lngE7: Int32, timestampMs: Int64) {
            self.sha256 = sha256
            self.latE7 = latE7
            self.lngE7 = lngE7
            self.timestampMs = timestampMs
        }

        /// Degrees.
        public var lat: Double { Double(latE7) / 1e7 }
        /// Degrees.
        public var lng: Double { Double(lngE7) / 1e7 }
    }

    /// The most frames kept per cell.
    public static let framesPerCell = 4
    /// A driver's reputation before any data, permille.
    public static let fullReputation = 1_000

    /// Mapped cells by H3 index.
    public var cells: [UInt64: Cell] = [:]
    /// Drivers' reputations, permille; absent is `fullReputation`.
    public var reputation: [Address: Int] = [:]

    /// An empty map.
    public init() {}

    /// A driver's reputation, permille.
    public func reputation(of driver: Address) -> Int { reputation[driver] ?? Self.fullReputation }

    /// The state's bytes.
    public func encoded() -> Data {
        var out = Data([1])
        Self.put(UInt32(cells.count), &out)
        for index in cells.keys.sorted() {
            let cell = cells[index]!
            Self.put(index, &out)
            Self.put(cell.mappedMs, &out)
            out.append(cell.mapper.publicKey.rawRepresentation)
            out.append(UInt8(min(cell.frames.count, 255)))
            for frame in cell.frames.prefix(255) {
                out.append(frame.sha256.count == 32 ? frame.sha256 : Data(count: 32))
                Self.put(frame.latE7, &out)
                Self.put(frame.lngE7, &out)
                Self.put(frame.timestampMs, &out)
            }
        }
        Self.put(UInt32(reputation.count), &out)
        for driver in reputation.keys.sorted() {
            out.append(driver.publicKey.rawRepresentation)
            Self.put(UInt16(clamping: reputation[driver]!), &out)
        }
        return out
    }

    /// Reads `bytes`; empty bytes are an empty map.
    public init(decoding bytes: Data) throws(MapStateError) {
        guard !bytes.isEmpty else { return }
        var reader = Reader(bytes: [UInt8](bytes))
        guard try reader.byte() == 1 else { throw MapStateError("unknown map state version") }
        let cellCount = try reader.integer(UInt32.self)
        for _ in 0..<cellCount {
            let index = try reader.integer(UInt64.self)
            let mappedMs = try reader.integer(Int64.self)
            let mapper = try reader.address()
            var frames: [Frame] = []
            for _ in 0..<(try reader.byte()) {
                frames.append(
                    Frame(
                        sha256: Data(try reader.take(32)), latE7: try reader.integer(Int32.self),
                        lngE7: try reader.integer(Int32.self), timestampMs: try reader.integer(Int64.self)))
            }
            cells[index] = Cell(mappedMs: mappedMs, mapper: mapper, frames: frames)
        }
        for _ in 0..<(try reader.integer(UInt32.self)) {
            let driver = try reader.address()
            reputation[driver] = Int(try reader.integer(UInt16.self))
        }
        guard reader.offset == reader.bytes.count else { throw MapStateError("trailing bytes after the map state") }
    }

    private static func put<T: FixedWidthInteger>(_ value: T, _ out: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func take(_ count: Int) throws(MapStateError) -> ArraySlice<UInt8> {
            guard bytes.count - offset >= count else { throw MapStateError("the map state ends early") }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func byte() throws(MapStateError) -> UInt8 { try take(1).first! }

        mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(MapStateError) -> T {
            var value: T = 0
            for (shift, byte) in try take(MemoryLayout<T>.size).enumerated() { value |= T(truncatingIfNeeded: byte) << (8 * shift) }
            return value
        }

        mutating func address() throws(MapStateError) -> Address {
            let raw = Data(try take(32))
            guard let key = try? PublicKey(rawRepresentation: raw) else { throw MapStateError("a bad key in the map state") }
            return key.address
        }
    }
}

/// A map state that does not decode.
public struct MapStateError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}
