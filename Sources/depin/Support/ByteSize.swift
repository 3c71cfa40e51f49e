/// A size in bytes as people write it: `50GB`, `500 MB`, `1TiB`, `4096`. Decimal units (kB, MB,
/// GB, TB) are powers of 1000, binary ones (KiB, MiB, GiB, TiB) powers of 1024, as disk makers
/// and operating systems respectively count.
enum ByteSize {
    static let units: [(suffix: String, bytes: Int64)] = [
        ("tib", 1 << 40), ("gib", 1 << 30), ("mib", 1 << 20), ("kib", 1 << 10),
        ("tb", 1_000_000_000_000), ("gb", 1_000_000_000), ("mb", 1_000_000), ("kb", 1_000), ("b", 1),
    ]

    /// The bytes `text` says, nil when it says none.
    static func parse(_ text: String) -> Int64? {
        let lowered = text.lowercased().filter { $0 != " " }
        let unit = units.first { lowered.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(lowered.dropLast(unit.suffix.count)), number >= 0, number * Double(unit.bytes) < 9.2e18 else {
            return nil
        }
        return Int64(number * Double(unit.bytes))
    }
}
