import ArgumentParser

/// `depin`: run a DePIN node, its device agents, and its owners' and customers' commands.
@main
struct Depin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depin",
        abstract: "Run a decentralized physical infrastructure network end to end.",
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, InitCommand.self, GenesisCommand.self, NodeCommand.self, KeysCommand.self,
            DeviceCommand.self, WalletCommand.self, LedgerCommand.self, EpochCommand.self, OracleCommand.self, GeoCommand.self,
            RenderCommand.self, StorageCommand.self, MapCommand.self, ObdCommand.self, MeterCommand.self, TelemetryCommand.self, AdminCommand.self, SimCommand.self, BenchCommand.self, AgentCommand.self,
        ])
}
