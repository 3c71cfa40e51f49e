import Core
import Foundation

/// Files addressed by their SHA-256: render scenes and frames. A put is on disk (file and folder
/// synced) before it returns, and putting the same bytes twice stores them once.
public struct ContentStore: Sendable {
    /// The folder holding the files, two hex digits of fan-out deep.
    public let directory: String

    /// A store in `directory`, created when missing.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Whether `sha256` is a content address: 64 lower-case hex digits.
    public static func isAddress(_ sha256: String) -> Bool {
        sha256.utf8.count == 64 && sha256.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Stores `data` and returns its SHA-256, hex.
    public func put(_ data: Data) throws -> String {
        let address = SHA256Digest.hex(data)
        let path = self.path(address)
        if FileManager.default.fileExists(atPath: path) { return address }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.\(address).\(UUID().uuidString).partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw StoreError(.corrupt, "cannot create \(temporary)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError(.corrupt, "cannot move content into \(path): errno \(errno)")
        }
        let descriptor = open(folder, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        return address
    }

    /// The bytes stored under `sha256`, nil when there are none.
    public func get(_ sha256: String) -> Data? {
        guard Self.isAddress(sha256) else { return nil }
        return FileManager.default.contents(atPath: path(sha256))
    }

    /// Whether `sha256` is stored.
    public func contains(_ sha256: String) -> Bool {
        Self.isAddress(sha256) && FileManager.default.fileExists(atPath: path(sha256))
    }

    /// Bytes `range` of the file stored under `sha256` (clamped to its end), nil when there is
    /// none or the range starts past its end.
    public func read(_ sha256: String, range: Range<Int>) -> Data? {
        guard Self.isAddress(sha256), let handle = FileHandle(forReadingAtPath: path(sha256)) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), range.lowerBound >= 0, UInt64(range.lowerBound) <= end else { return nil }
        guard (try? handle.seek(toOffset: UInt64(range.lowerBound))) != nil else { return nil }
        let count = min(UInt64(range.count), end - UInt64(range.lowerBound))
        return (try? handle.read(upToCount: Int(count))) ?? Data()
    }

    /// The size of the file stored under `sha256`, nil when there is none.
    public func size(_ sha256: String) -> Int64? {
        guard Self.isAddress(sha256),
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(sha256)),
            let size = attributes[.size] as? NSNumber
        else { return nil }
        return size.int64Value
    }

    /// Removes the file stored under `sha256` (the removal synced); returns its size, nil when
    /// there was none.
    @discardableResult
    public func remove(_ sha256: String) -> Int64? {
        guard let size = size(sha256), (try? FileManager.default.removeItem(atPath: path(sha256))) != nil else { return nil }
        let descriptor = open((path(sha256) as NSString).deletingLastPathComponent, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        return size
    }

    /// Every stored file's address and size, in no particular order (partial writes left by a
    /// crash are not files of the store).
    public func entries() -> [(address: String, size: Int64)] {
        guard let folders = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return folders.flatMap { folder -> [(address: String, size: Int64)] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder)) ?? []
            return names.filter(Self.isAddress).compactMap { name in size(name).map { (name, $0) } }
        }
    }

    private func path(_ address: String) -> String {
        directory + "/" + address.prefix(2) + "/" + address
    }
}
