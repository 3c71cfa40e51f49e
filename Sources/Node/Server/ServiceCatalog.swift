import Compute
import Core
import Coverage
import Ledger
import Mapping
import Rewards
import Storage
import Telemetry

/// Which service module runs each service of a genesis. A service that serves hotspots (or is
/// named `coverage`) runs the coverage module, one that serves render nodes the rendering
/// module, one that serves storage nodes the storage module, one that serves dashcams the
/// mapping module, one that serves vehicles or meters the telemetry module; a service whose
/// module has not landed yet is paid by uptime (`UptimeService`).
public enum ServiceCatalog {
    /// The service modules for `genesis`, by service name; a bad service parameter is an error
    /// naming its line.
    public static func services(for genesis: Genesis) throws(GenesisError) -> [String: any NetworkService] {
        var modules: [String: any NetworkService] = [:]
        for service in genesis.services where service.name == "coverage" || service.kinds.contains(.hotspot) {
            modules[service.name] = try CoverageService(service: service, genesis: genesis)
        }
        for service in genesis.services where modules[service.name] == nil && service.kinds.contains(.renderNode) {
            modules[service.name] = try RenderService(service: service)
        }
        for service in genesis.services where modules[service.name] == nil && service.kinds.contains(.storageNode) {
            modules[service.name] = try StorageService(service: service)
        }
        for service in genesis.services where modules[service.name] == nil && service.kinds.contains(.dashcam) {
            modules[service.name] = try MappingService(service: service)
        }
        for service in genesis.services
        where modules[service.name] == nil && (service.kinds.contains(.vehicle) || service.kinds.contains(.meter)) {
            modules[service.name] = try TelemetryService(service: service)
        }
        return modules
    }

    /// The epoch engine for `genesis` with its service modules.
    public static func engine(for genesis: Genesis) throws(GenesisError) -> EpochEngine {
        EpochEngine(genesis: genesis, services: try services(for: genesis))
    }

    /// The engine `input`'s epoch runs under: `engine` when the operators changed no parameter in
    /// force then, else one for the genesis with their changes applied (`depin epoch verify`
    /// builds the same from the same input).
    public static func engine(_ engine: EpochEngine, for input: EpochInput) throws(GenesisError) -> EpochEngine {
        guard !input.parameters.isEmpty else { return engine }
        return try Self.engine(for: engine.genesis.applying(input.parameters))
    }

    /// Checks that every service module accepts `genesis`: what a parameter change must pass.
    public static func check(_ genesis: Genesis) throws {
        _ = try services(for: genesis)
    }
}
