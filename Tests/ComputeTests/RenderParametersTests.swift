import Compute
import Core
import Ledger
import Testing

@Suite struct RenderParametersTests {
    func service(_ entries: [String: TOMLValue]) -> Genesis.Service {
        var table = TOMLTable()
        for (key, value) in entries { table[key] = .init(value: value, line: 7) }
        return .init(name: "rendering", weight: 1, kinds: [.renderNode], parameters: table)
    }

    @Test func aFrameCostsItsWorkInReferenceFramesAtTheTiersPrice() throws {
        let parameters = try RenderParameters(service: service(["credits_per_reference_frame": .integer(100)]))
        // Twice the node's benchmark time is two reference frames.
        #expect(parameters.price(renderMs: 2_000, benchmarkMs: 1_000, tier: "priority") == Amount(200))
        #expect(parameters.price(renderMs: 2_000, benchmarkMs: 1_000, tier: "economy") == Amount(100))
        #expect(parameters.price(renderMs: 1_499, benchmarkMs: 1_000, tier: "priority") == Amount(149))
        #expect(parameters.price(renderMs: 0, benchmarkMs: 1_000, tier: "priority") == .zero)
    }

    @Test func badKeysAndValuesNameTheirLine() {
        #expect(throws: GenesisError.self) { try RenderParameters(service: service(["lease_minutes": .integer(5)])) }
        #expect(throws: GenesisError.self) { try RenderParameters(service: service(["economy_percent": .integer(0)])) }
        let error = #expect(throws: GenesisError.self) { try RenderParameters(service: service(["lease_s": .integer(1)])) }
        #expect(error?.line == 7)
    }
}
