import GRDBSQLite

/// What the embedded SQLite holds in memory, all connections together: mostly their page caches
/// (up to 64 MiB a connection, `cache_size`), so an operator can tell it from the node's own heap.
public enum SQLiteMemory {
    /// Bytes SQLite has allocated and not freed (0 when the library keeps no memory statistics).
    public static var bytesInUse: Int64 { sqlite3_memory_used() }
}
