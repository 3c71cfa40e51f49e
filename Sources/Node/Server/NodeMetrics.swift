import Prometheus

/// The node's Prometheus metrics, in a registry of its own (no global metrics system, so tests
/// can build many nodes in one process).
public struct NodeMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    let reportsAccepted: Counter
    let reportsRejected: Counter
    let transactionsAccepted: Counter
    let transactionsRejected: Counter
    let rateLimited: Counter
    let devices: Gauge
    let journalEntries: Gauge
    let sqliteMemory: Gauge

    /// Fresh metrics.
    public init() {
        reportsAccepted = registry.makeCounter(descriptor: Self.descriptor("reports_accepted", "total", "Reports stored in the log"))
        reportsRejected = registry.makeCounter(descriptor: Self.descriptor("reports_rejected", "total", "Reports refused"))
        transactionsAccepted = registry.makeCounter(descriptor: Self.descriptor("transactions_accepted", "total", "Transactions applied to the ledger"))
        transactionsRejected = registry.makeCounter(descriptor: Self.descriptor("transactions_rejected", "total", "Transactions refused"))
        rateLimited = registry.makeCounter(
            descriptor: Self.descriptor("rate_limited", "total", "Reports and requests refused for going over a sender's rate"))
        devices = registry.makeGauge(descriptor: Self.descriptor("devices", "", "Registered devices"))
        journalEntries = registry.makeGauge(descriptor: Self.descriptor("journal_entries", "", "Entries in the ledger journal"))
        sqliteMemory = registry.makeGauge(
            descriptor: Self.descriptor("sqlite_memory", "bytes", "Memory the embedded SQLite holds, its page caches mostly"))
    }

    private static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "depin", metricName: name, unitName: unit, helpText: help)
    }

    /// The Prometheus text exposition.
    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
