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

    private func path(_ address: String) -> String {
        directory + "/" + address.prefix(2) + "/" + address
    }
}
