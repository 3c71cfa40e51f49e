import Core
import Foundation
import Store

/// Opens a node's store for the commands that read it directly (`ledger verify`, `epoch verify
/// --data-dir`): its PostgreSQL database when a URL is given, else the SQLite file in its data
/// directory, which must exist.
enum StoreOpening {
    static func open(dataDir: String, databaseURL: String?) async throws -> SQLNetworkStore {
        if databaseURL == nil {
            let path = dataDir + "/node.sqlite"
            guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no node database at \(path)") }
        }
        do {
            return try await SQLNetworkStore.open(url: databaseURL, sqlitePath: dataDir + "/node.sqlite")
        } catch let error as StoreError {
            throw CLIError(error.message)
        }
    }
}
