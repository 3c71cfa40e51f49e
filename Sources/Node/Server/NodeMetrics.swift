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
    let devices: Gauge
    let journalEntries: Gauge

    /// Fresh metrics.
    public init() {
        reportsAccepted = registry.makeCounter(name: "depin_reports_accepted_total", help: "Reports stored in the log")
        reportsRejected = registry.makeCounter(name: "depin_reports_rejected_total", help: "Reports refused")
        transactionsAccepted = registry.makeCounter(
            name: "depin_transactions_accepted_total", help: "Transactions applied to the ledger")
        transactionsRejected = registry.makeCounter(
            name: "depin_transactions_rejected_total", help: "Transactions refused")
        devices = registry.makeGauge(name: "depin_devices", help: "Registered devices")
        journalEntries = registry.makeGauge(name: "depin_journal_entries", help: "Entries in the ledger journal")
    }

    /// The Prometheus text exposition.
    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
