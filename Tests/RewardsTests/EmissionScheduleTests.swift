import Core
import Ledger
import PropertyBased
import Rewards
import Testing

@Suite struct EmissionScheduleTests {
    func genesis(decay: Genesis.Decay, perEpoch: UInt128 = 1_000_000, cap: UInt128 = 1_000_000_000, allocated: UInt128 = 0)
        -> Genesis
    {
        let treasury = SigningKey().address
        return Genesis(
            token: .init(name: "T", symbol: "TT", decimals: 6, supplyCap: Amount(cap)),
            emission: .init(perEpoch: Amount(perEpoch), decay: decay),
            epochs: .init(lengthSeconds: 86_400, startTime: 0), creditsPerToken: Amount(1),
            services: [.init(name: "coverage", weight: 1, kinds: [.hotspot], parameters: TOMLTable())],
            treasury: .init(weight: 0, account: treasury, emptyPools: .treasury),
            reports: .init(maxFutureSeconds: 1, maxAgeSeconds: 1), oracles: [SigningKey().publicKey], quorum: 1,
            makers: [], allocations: allocated > 0 ? [.init(account: treasury, amount: Amount(allocated))] : [])
    }

    @Test func halvesEveryNEpochs() {
        let schedule = EmissionSchedule(genesis: genesis(decay: .halving(epochs: 730)))
        #expect(schedule.scheduled(epoch: 0) == Amount(1_000_000))
        #expect(schedule.scheduled(epoch: 729) == Amount(1_000_000))
        #expect(schedule.scheduled(epoch: 730) == Amount(500_000))
        #expect(schedule.scheduled(epoch: 1_460) == Amount(250_000))
        #expect(schedule.scheduled(epoch: 730 * 200) == .zero)
    }

    @Test func cutsByAPercentageEachYear() {
        let schedule = EmissionSchedule(genesis: genesis(decay: .yearlyCut(percent: 15)))
        #expect(schedule.epochsPerYear == 365)
        #expect(schedule.scheduled(epoch: 364) == Amount(1_000_000))
        #expect(schedule.scheduled(epoch: 365) == Amount(850_000))
        #expect(schedule.scheduled(epoch: 730) == Amount(722_500))
    }

    @Test func neverPassesTheCap() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 1...10_000_000), Gen.uint64(in: 0...50_000_000), Gen.int(in: 1...400)) {
            perEpoch, allocated, epochs in
            let cap: UInt128 = 100_000_000
            let schedule = EmissionSchedule(
                genesis: genesis(decay: .halving(epochs: 50), perEpoch: UInt128(perEpoch), cap: cap, allocated: UInt128(allocated)))
            var minted = Amount.zero
            for epoch in 0..<Int64(epochs) {
                let emission = schedule.emission(epoch: epoch, mintedBefore: minted)
                #expect(emission <= schedule.scheduled(epoch: epoch))
                minted = try! minted.adding(emission)
            }
            #expect(minted.units + UInt128(allocated) <= cap)
        }
    }
}
