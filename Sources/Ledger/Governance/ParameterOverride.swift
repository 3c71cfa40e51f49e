import Core

/// One service parameter set by an operator, in force from an epoch on: the value replaces the
/// genesis's `[services.SERVICE] KEY`, or the service's pool weight when the key is `weight`.
public struct ParameterOverride: Sendable, Equatable, Hashable, Codable {
    /// The service's name in the genesis.
    public var service: String
    /// The parameter's key, or `weight`.
    public var key: String
    /// The value as TOML writes it: `12`, `0.5`, `"text"`, `[1, 2]`.
    public var value: String

    /// An override.
    public init(service: String, key: String, value: String) {
        self.service = service
        self.key = key
        self.value = value
    }

    /// The value, parsed as TOML.
    public func parsedValue() throws(GenesisError) -> TOMLValue {
        let table: TOMLTable
        do { table = try TOMLParser("value = \(value)\n").parse() } catch {
            throw GenesisError(line: 0, "\(service).\(key): \(value) is not a TOML value (\(error.message))")
        }
        guard table.keys == ["value"], let entry = table["value"] else {
            throw GenesisError(line: 0, "\(service).\(key): \(value) is not one TOML value")
        }
        if case .table = entry.value { throw GenesisError(line: 0, "\(service).\(key): a parameter is not a table") }
        return entry.value
    }
}

extension Genesis {
    /// The genesis with `overrides` applied in order: what the epoch engine runs under in an epoch
    /// where they are in force. A service the genesis lacks, a weight that is not a whole number
    /// from 0 to 1,000,000, or pool weights that add up to zero, is an error.
    public func applying(_ overrides: [ParameterOverride]) throws(GenesisError) -> Genesis {
        var genesis = self
        for override in overrides {
            guard let index = genesis.services.firstIndex(where: { $0.name == override.service }) else {
                throw GenesisError(line: 0, "the genesis has no service \(override.service)")
            }
            let value = try override.parsedValue()
            if override.key == "weight" {
                guard case .integer(let weight) = value, (0...1_000_000).contains(weight) else {
                    throw GenesisError(line: 0, "\(override.service).weight is a whole number from 0 to 1000000")
                }
                genesis.services[index].weight = Int(weight)
            } else {
                guard !override.key.isEmpty, override.key != "kinds" else {
                    throw GenesisError(line: 0, "\(override.service): \(override.key.isEmpty ? "an empty key" : "kinds") cannot be changed")
                }
                let line = genesis.services[index].parameters[override.key]?.line ?? 0
                genesis.services[index].parameters[override.key] = TOMLTable.Entry(value: value, line: line)
            }
        }
        guard genesis.services.reduce(0, { $0 + $1.weight }) + genesis.treasury.weight > 0 else {
            throw GenesisError(line: 0, "the pool weights would add up to zero")
        }
        return genesis
    }
}
