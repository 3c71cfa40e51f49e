import Core
import Foundation
import Ledger
import Logging
import Rewards
import ServiceLifecycle
import Store

/// Closes epochs as they fall due: reads the epoch's input, runs the engine, commits the result
/// and its mints in one durable transaction, and signs the root when this node is an oracle. A
/// node killed at any point before the commit closes the epoch again on restart, to the same
/// result: the engine is a pure function of the input, and the input of a past epoch no longer
/// changes (late reports for a closed epoch are refused).
///
/// Several nodes on one PostgreSQL database each run a closer, and exactly one closes: the one
/// holding the store's epoch-closing lease, which keeps it while it runs. When it dies, even
/// mid-close, the lease is freed, and another node takes it on its next check and closes the
/// epoch, to the same result. (Were two ever to close the same epoch, the second commit would
/// change nothing: an epoch is committed once.)
public struct EpochCloser: Service {
    let state: NodeState
    /// How often to look for due epochs.
    public var checkInterval: Duration = .seconds(1)

    /// A closer over `state`.
    public init(state: NodeState) {
        self.state = state
    }

    /// Closes every epoch that is due now, in order, and returns their results; none when another
    /// node holds the closing lease.
    @discardableResult
    public func closeDue() async throws -> [EpochResult] {
        let closer = self
        return try await state.store.whileClosingEpochs { try await closer.closeDueHoldingLease() } ?? []
    }

    /// Signs the last closed epoch's root when this node is an oracle and has not signed it: the
    /// epoch may have been closed by another node on the same database.
    public func signLastClosed() async throws {
        guard let key = state.oracleKey, state.genesis.oracles.contains(key.publicKey),
            let epoch = try await state.store.lastClosedEpoch(),
            try await state.store.signatures(epoch: epoch)[key.address.description] == nil,
            let result = try await state.store.epoch(epoch),
            let signature = EpochRootMessage.sign(epoch: epoch, root: result.root, with: key)
        else { return }
        try await state.store.addSignature(epoch: epoch, oracle: key.address, signature: signature)
    }

    private func closeDueHoldingLease() async throws -> [EpochResult] {
        let schedule = EpochSchedule(epochs: state.genesis.epochs)
        var closed: [EpochResult] = []
        while case .close(let epoch, let startMs, let endMs) = schedule.next(
            lastClosed: try await state.store.lastClosedEpoch(), nowMs: state.clock.nowMs())
        {
            closed.append(try await close(epoch: epoch, startMs: startMs, endMs: endMs))
        }
        return closed
    }

    func close(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> EpochResult {
        // Frozen first, in a write serialized with ingest's: a report written after this is
        // refused, one written before it is in the log read next.
        try await state.store.freezeEpoch(epoch)
        // Its own log, streamed from the store by device beside the rest of the input: every
        // report's signature was checked at ingest. The same result as `closeAccepted` over the
        // whole input, without holding the log as text (ten million reports are gigabytes of it).
        let (input, reports) = try await state.store.closingRead(epoch: epoch, startMs: startMs, endMs: endMs)
        let computed = try ServiceCatalog.engine(state.engine, for: input).close(input, reports: reports)
        if let path = ProcessInfo.processInfo.environment["DEPIN_FAULT_CRASH_BEFORE_EPOCH_COMMIT"] {
            // Fault injection for the crash tests: die between computing and committing.
            try? "\(computed.root)\n".write(toFile: path, atomically: true, encoding: .utf8)
            abort()
        }
        let result = try await state.store.commitEpoch(computed, nowMs: state.clock.nowMs())
        if let key = state.oracleKey, state.genesis.oracles.contains(key.publicKey),
            let signature = EpochRootMessage.sign(epoch: epoch, root: result.root, with: key)
        {
            try await state.store.addSignature(epoch: epoch, oracle: key.address, signature: signature)
        }
        state.logger.info(
            "epoch closed",
            metadata: [
                "epoch": "\(epoch)", "root": "\(result.root)", "minted": "\(result.minted)",
                "devices": "\(result.devices.count)",
            ])
        return result
    }

    /// Closes due epochs until graceful shutdown while this node holds the closing lease; until it
    /// does, co-signs what the node holding it closes (when this node is an oracle).
    public func run() async throws {
        let closer = self
        while !Self.stopping {
            let led: Void?
            do {
                led = try await state.store.whileClosingEpochs { await closer.lead() }
            } catch {
                state.logger.error("cannot take the epoch-closing lease; will retry", metadata: ["error": "\(error)"])
                led = nil
            }
            guard led == nil else { continue }
            do { try await signLastClosed() } catch {
                state.logger.error("cannot co-sign the last epoch; will retry", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: checkInterval)
        }
    }

    private static var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    /// The closing node's loop, while it holds the lease.
    private func lead() async {
        state.logger.info("this node closes the epochs")
        while !Self.stopping {
            do {
                _ = try await closeDueHoldingLease()
                try await signLastClosed()
            } catch {
                state.logger.error("epoch close failed; will retry", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: checkInterval)
        }
    }
}
