import Agent
import ArgumentParser
import Core
import Foundation

/// `depin obd`: talk to a vehicle's OBD-II adapter (an ELM327 on the network) the way the
/// vehicle agent does, to check the adapter and the car before onboarding.
struct ObdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "obd", abstract: "Check an ELM327 OBD-II adapter: the car's VIN, supported readings and trouble codes.",
        subcommands: [Probe.self])

    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect, identify the adapter and the car (VIN), and print one sample of every supported reading.")
        @Option(name: .long, help: "The adapter: socket://HOST:PORT (an IPv4 address or localhost).") var obd: String
        @Option(name: .long, help: "Seconds to wait for each answer.") var timeout = 5.0

        func run() async throws {
            let (host, port) = try HostPort.obd(obd)
            do {
                let link = try TCPLink(host: host, port: port, timeout: timeout)
                var session = ELM327Session(link: link)
                try session.start()
                var reader = VehicleReader(session: session)
                try reader.identify()
                let sample = try reader.sample(at: Int64(Date().timeIntervalSince1970 * 1_000))
                print("adapter: \(session.identification)")
                print("vin: \(reader.vin)")
                print("supported: \(reader.supportedReadings.joined(separator: ", "))")
                if sample.hasSpeedKph { print("speed: \(sample.speedKph) km/h") }
                if sample.hasRpm { print("rpm: \(sample.rpm)") }
                if sample.hasCoolantC { print("coolant: \(sample.coolantC) °C") }
                if sample.hasFuelPercent { print("fuel: \(sample.fuelPercent) %") }
                if sample.hasOdometerKm { print("odometer: \(sample.odometerKm) km") }
                print("trouble codes: \(sample.dtcs.isEmpty ? "none" : sample.dtcs.joined(separator: " "))")
            } catch let error as DeviceLinkError {
                throw CLIError("\(obd): \(error.description)")
            }
        }
    }
}
