import Core
import Ledger
import PropertyBased
import Rewards
import Testing

@Suite struct SplitPropertyTests {
    static let weights = Gen.uint64(in: 0...UInt64.max).array(of: 0...40)
    static let amounts = Gen.uint64(in: 0...UInt64.max)

    @Test func partsAndRemainderSumExactlyToTheTotal() async {
        await propertyCheck(count: 500, input: Self.weights, Self.amounts, Self.amounts) { weights, high, low in
            let total = Amount(UInt128(high) << 64 | UInt128(low))
            let wide = weights.map { UInt128($0) << UInt128($0 % 64) }
            let (parts, remainder) = ProRataSplit.split(total, weights: wide)
            let paid = parts.reduce(UInt128(0)) { $0 + $1.units }
            #expect(paid + remainder.units == total.units)
            #expect(parts.count == weights.count)
            // Floor division leaves less than one base unit per claimant.
            if wide.contains(where: { $0 > 0 }) { #expect(remainder.units < UInt128(max(weights.count, 1))) }
            for (part, weight) in zip(parts, wide) where weight == 0 { #expect(part == .zero) }
        }
    }

    @Test func partsFollowTheWeights() async {
        await propertyCheck(count: 300, input: Gen.uint32(in: 1...1_000_000), Gen.uint32(in: 1...1_000_000)) { a, b in
            let (parts, _) = ProRataSplit.split(Amount(1_000_000_000_000), weights: [UInt128(a), UInt128(b)])
            // A larger weight never gets less.
            if a >= b { #expect(parts[0] >= parts[1]) } else { #expect(parts[0] <= parts[1]) }
        }
    }

    @Test func allZeroWeightsLeaveTheWholeTotal() {
        let (parts, remainder) = ProRataSplit.split(Amount(77), weights: [0, 0])
        #expect(parts == [.zero, .zero])
        #expect(remainder == Amount(77))
    }
}
