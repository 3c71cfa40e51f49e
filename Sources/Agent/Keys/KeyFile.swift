import Core
import Foundation

/// An Ed25519 key on disk: JSON `{"type": "ed25519", "seed": HEX, "address": ADDRESS}`, readable
/// by its owner only (mode 0600).
public enum KeyFile {
    struct Contents: Codable {
        var type: String
        var seed: String
        var address: String
    }

    /// Writes a new key to `path`; refuses to overwrite an existing file.
    public static func create(at path: String, key: SigningKey = SigningKey()) throws -> SigningKey {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw KeyFileError("\(path) already exists; refusing to overwrite a key")
        }
        let contents = Contents(type: "ed25519", seed: key.seed.hexString, address: key.address.description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(contents)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw KeyFileError("cannot write \(path)") }
        return key
    }

    /// Reads the key at `path`.
    public static func load(from path: String) throws -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError("cannot read key file \(path) (create one with `depin keys new --out \(path)`)")
        }
        guard let contents = try? JSONDecoder().decode(Contents.self, from: data) else {
            throw KeyFileError("\(path) is not a depin key file")
        }
        guard contents.type == "ed25519" else { throw KeyFileError("\(path): unknown key type \(contents.type)") }
        guard let seed = Data(hex: contents.seed), let key = try? SigningKey(seed: seed) else {
            throw KeyFileError("\(path): the seed is not 32 bytes of hex")
        }
        return key
    }
}

/// A key file that cannot be read or written.
public struct KeyFileError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error with a message.
    public init(_ description: String) {
        self.description = description
    }
}

extension KeyFile {
    /// The key at `path`, made there first if there is none.
    public static func loadOrCreate(at path: String) throws -> SigningKey {
        FileManager.default.fileExists(atPath: path) ? try load(from: path) : try create(at: path)
    }
}
