import Core
import Foundation
import Ledger
import Testing

@Suite struct GenesisTests {
    let world = LedgerFixtures()

    @Test func rendersAndReadsBackTheSameGenesis() throws {
        var genesis = world.genesis
        var parameters = TOMLTable()
        parameters["beacon_interval_s"] = .init(value: .integer(21_600), line: 0)
        parameters["note"] = .init(value: .string("a \"quoted\" word"), line: 0)
        genesis.services[0].parameters = parameters
        let parsed = try Genesis(toml: genesis.toml)
        #expect(parsed.token == genesis.token)
        #expect(parsed.emission == genesis.emission)
        #expect(parsed.epochs == genesis.epochs)
        #expect(parsed.oracles == genesis.oracles)
        #expect(parsed.makers == genesis.makers)
        #expect(parsed.allocations == genesis.allocations)
        #expect(parsed.services.map(\.name) == ["coverage", "telemetry"])
        #expect(parsed.services[0].parameters["beacon_interval_s"]?.value == .integer(21_600))
        #expect(parsed.services[0].parameters["note"]?.value == .string("a \"quoted\" word"))
        #expect(parsed.toml == genesis.toml)
    }

    /// Breaks one line of a valid genesis and expects that line in the error.
    func errorLine(replacing old: String, with new: String) throws -> GenesisError {
        let text = world.genesis.toml
        #expect(text.contains(old), "fixture lacks \(old)")
        let broken = text.replacingOccurrences(of: old, with: new)
        do {
            _ = try Genesis(toml: broken)
            Issue.record("accepted: \(new)")
            return GenesisError(line: 0, "")
        } catch {
            return error
        }
    }

    func line(of fragment: String, in text: String) -> Int {
        (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(fragment) } ?? -1) + 1
    }

    @Test func namesTheLineAndTheReason() throws {
        let text = world.genesis.toml
        let symbolLine = line(of: "symbol = ", in: text)
        let symbol = try errorLine(replacing: "symbol = \"TST\"", with: "symbol = \"tst!\"")
        #expect(symbol.line == symbolLine)
        #expect(symbol.message.contains("symbol"))

        let typo = try errorLine(replacing: "decimals = 6", with: "decimal = 6")
        #expect(typo.line == line(of: "decimals = 6", in: text))
        #expect(typo.message.contains("unknown key 'decimal'"))

        let unclosed = try errorLine(replacing: "name = \"Test Token\"", with: "name = \"Test Token")
        #expect(unclosed.line == line(of: "name = \"Test Token\"", in: text))

        let quorum = try errorLine(replacing: "quorum = 1", with: "quorum = 3")
        #expect(quorum.line == line(of: "quorum = 1", in: text))

        let address = try errorLine(
            replacing: world.treasury.address.description, with: String(world.treasury.address.description.dropLast()))
        #expect(address.line == line(of: "[treasury]", in: text) + 2)
        #expect(address.message.contains("checksum") || address.message.contains("short"))

        let amount = try errorLine(replacing: "amount = \"5000000\"", with: "amount = \"-5\"")
        #expect(amount.line == line(of: "amount = \"5000000\"", in: text))

        let bigInteger = try errorLine(replacing: "decimals = 6", with: "decimals = 99999999999999999999")
        #expect(bigInteger.message.contains("64-bit"))

        let decay = try errorLine(replacing: "decay = \"halving\"", with: "decay = \"sometimes\"")
        #expect(decay.line == line(of: "decay = ", in: text))

        let duplicate = try errorLine(replacing: "decimals = 6", with: "decimals = 6\ndecimals = 7")
        #expect(duplicate.message.contains("twice"))
    }

    @Test func refusesAllocationsOverTheCap() throws {
        var genesis = world.genesis
        genesis.allocations = [.init(account: world.alice.address, amount: Amount(10_000_000_000_001))]
        #expect(throws: GenesisError.self) { try Genesis(toml: genesis.toml) }
    }

    @Test func refusesAMissingTable() {
        #expect(throws: GenesisError.self) { try Genesis(toml: "[token]\nname = \"x\"\n") }
        #expect(throws: GenesisError.self) { try Genesis(toml: "") }
    }

    @Test func readsArraysOverSeveralLinesAndComments() throws {
        let table = try TOMLParser(
            """
            # a comment
            [a]
            list = [
              1, # one
              2,
            ]
            'quoted key' = 'literal \\ string'
            inline = { x = 1, y = "two" }
            [[items]]
            v = 1
            [[items]]
            v = 2.5
            """
        ).parse()
        guard case .table(let a)? = table["a"]?.value else { throw GenesisError(line: 0, "no [a]") }
        #expect(a["list"]?.value == .array([.integer(1), .integer(2)]))
        #expect(a["quoted key"]?.value == .string("literal \\ string"))
        #expect(a["quoted key"]?.line == 7)
        guard case .array(let items)? = table["items"]?.value else { throw GenesisError(line: 0, "no items") }
        #expect(items.count == 2)
    }
}

extension GenesisTests {
    @Test func aKindServesOneService() throws {
        var genesis = world.genesis
        genesis.services[1].kinds = [.meter, .hotspot]
        #expect(throws: GenesisError.self) { try Genesis(toml: genesis.toml) }
    }
}
