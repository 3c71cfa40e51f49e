import Core
import Testing

@Suite struct AmountTests {
    @Test func parsesBaseUnits() throws {
        #expect(try Amount(parsing: "0") == .zero)
        #expect(try Amount(parsing: "340282366920938463463374607431768211455").units == .max)
    }

    @Test(arguments: [
        ("-5", AmountError.Code.negative), ("", .malformed), ("1.5", .malformed), (" 1", .malformed),
        ("1e9", .malformed), ("340282366920938463463374607431768211456", .overflow), ("+3", .malformed),
    ])
    func refusesBadText(_ text: String, _ code: AmountError.Code) {
        do {
            _ = try Amount(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func arithmeticIsChecked() throws {
        #expect(try Amount(2).adding(Amount(3)) == Amount(5))
        #expect(throws: AmountError.self) { try Amount(.max).adding(Amount(1)) }
        #expect(throws: AmountError.self) { try Amount(2).subtracting(Amount(3)) }
    }

    @Test func formatsWithDecimals() {
        #expect(Amount(1_500_000).formatted(decimals: 6) == "1.5")
        #expect(Amount(1).formatted(decimals: 6) == "0.000001")
        #expect(Amount(42).formatted(decimals: 0) == "42")
    }
}

@Suite struct PermilleTests {
    @Test func thousandthsShowWithThreePlaces() {
        #expect(Permille.decimal(1_500) == "1.500")
        #expect(Permille.decimal(812) == "0.812")
        #expect(Permille.decimal(3_000) == "3.000")
        #expect(Permille.decimal(5) == "0.005")
        #expect(Permille.decimal(-250) == "-0.250")
    }
}
