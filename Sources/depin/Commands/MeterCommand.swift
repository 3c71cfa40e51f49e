import Agent
import ArgumentParser
import Core
import Foundation

/// `depin meter`: talk to an energy meter over Modbus TCP the way the meter agent does, to check
/// the meter and its register map before onboarding.
struct MeterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meter", abstract: "Check an energy meter on Modbus TCP: its serial and a reading of the SunSpec-style map.",
        subcommands: [Probe.self])

    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect, read the register map from 40000 and print the serial, power, voltage and energy counters.")
        @Option(name: .long, help: "The meter: HOST:PORT (an IPv4 address or localhost).") var modbus: String
        @Option(name: .long, help: "The Modbus unit id.") var unit: UInt8 = 1
        @Option(name: .long, help: "Seconds to wait for each answer.") var timeout = 5.0

        func run() async throws {
            let (host, port) = try HostPort.modbus(modbus)
            do {
                var client = ModbusClient(link: try TCPLink(host: host, port: port, timeout: timeout), unit: unit)
                let registers = try client.readHoldingRegisters(at: MeterRegisterMap.base, count: MeterRegisterMap.count)
                let (serial, reading) = try MeterRegisterMap.decode(registers, at: Int64(Date().timeIntervalSince1970 * 1_000))
                print("serial: \(serial)")
                print("power: \(reading.powerW) W")
                print("voltage: \(reading.voltageV) V")
                print("exported: \(reading.energyExportWh) Wh")
                print("imported: \(reading.energyImportWh) Wh")
            } catch let error as DeviceLinkError {
                throw CLIError("\(modbus): \(error.description)")
            }
        }
    }
}
