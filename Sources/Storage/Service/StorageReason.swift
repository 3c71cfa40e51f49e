/// The storage service's reason codes for refused reports.
public enum StorageReason: String, Sendable, CaseIterable {
    /// A storage_status whose URL is not an http(s) URL with a host, or is over 200 bytes.
    case badURL = "storage_bad_url"
    /// A storage_status with no capacity, or more used than its capacity.
    case badCapacity = "storage_bad_capacity"
}
