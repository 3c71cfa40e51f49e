import Core
import Foundation
import Simulation
import Testing

/// Each attack on the coverage network, with a fixed seed: the rules must deny attackers at
/// least 90% of what they would earn unchecked, and honest hotspots must keep at least 95% of
/// what they earn without attackers.
///
/// The scenarios are seconds of CPU each; they run one at a time on a Dispatch thread, so that
/// they do not starve the Swift concurrency pool that the node and integration tests run on.
@Suite(.serialized) struct AdversaryScenarioTests {
    @Test(arguments: AdversaryScenario.Attack.allCases)
    func rulesDenyTheAttackAndSpareTheHonest(attack: AdversaryScenario.Attack) async throws {
        let outcome = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try AdversaryScenario(attack: attack).run() })
            }
        }
        print(
            "scenario \(attack.rawValue): \(outcome.attackers) attackers, honest kept \(percent(outcome.honestKept)), "
                + "attackers denied \(percent(outcome.attackersDenied)) (checked \(outcome.attackersChecked), "
                + "unchecked \(outcome.attackersUnchecked))")
        #expect(outcome.attackersUnchecked > .zero, "the attack earns something when nothing checks it")
        #expect(outcome.attackersDenied >= 0.90)
        #expect(outcome.honestKept >= 0.95)
    }

    func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
