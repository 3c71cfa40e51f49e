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
public struct EpochCloser: Service {
    let state: NodeState
    /// How often to look for due epochs.
    public var checkInterval: Duration = .seconds(1)

    /// A closer over `state`.
    public init(state: NodeState) {
        self.state = state
    }

    /// Closes every epoch that is due now, in order, and returns their results.
    @discardableResult
    public func closeDue() async throws -> [EpochResult] {
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
        let input = try await state.store.epochInput(epoch: epoch, startMs: startMs, endMs: endMs)
        // Its own log: every report's signature was checked at ingest.
        let computed = state.engine.closeAccepted(input)
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

    /// Closes due epochs until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await closeDue()
            } catch {
                state.logger.error("epoch close failed; will retry", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: checkInterval)
        }
    }
}
