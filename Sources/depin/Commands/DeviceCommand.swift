import Agent
import ArgumentParser
import Core
import Foundation

/// `depin device onboard|show|transfer`.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Onboard, show and hand over devices.",
        subcommands: [Onboard.self, Show.self, Transfer.self, Assert.self, Rewards.self])

    struct Onboard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a device, signed by its owner, the device itself and a trusted maker.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The owner's key file.") var ownerKey = "depin.key"
        @Option(name: .long, help: "The device's key file (made if missing).") var deviceKey: String
        @Option(name: .long, help: "The maker's key file.") var makerKey: String
        @Option(name: .long, help: "hotspot, render-node, storage-node, dashcam, vehicle or meter.") var kind: String
        @Option(name: .long, parsing: .unconditional, help: "Asserted latitude (degrees).") var lat: Double?
        @Option(name: .long, parsing: .unconditional, help: "Asserted longitude (degrees).") var lng: Double?
        @Option(name: .long, help: "Also set the owner's EVM payout address (0x…).") var payout: String?
        @Option(name: .long, parsing: .unconditional, help: "Antenna gain in dBi (hotspots).") var gain: Double = 0
        @Option(name: .long, help: "Antenna height above ground in metres (hotspots).") var elevation: Double = 0

        func run() async throws {
            guard let deviceKind = DeviceKind(name: kind) else {
                throw CLIError("unknown kind \(kind); one of \(DeviceKind.allNamed.map(\.name).joined(separator: ", "))")
            }
            guard (lat == nil) == (lng == nil) else { throw CLIError("give both --lat and --lng, or neither") }
            let owner = try KeyFile.load(from: ownerKey)
            let device = try KeyFile.loadOrCreate(at: deviceKey)
            let maker = try KeyFile.load(from: makerKey)
            let client = try node.client
            let onboard = OnboardDevice(
                device: device.publicKey, kind: deviceKind, maker: maker.publicKey, latitude: lat, longitude: lng,
                payoutAddress: payout, antennaGainDbi: gain, elevationM: elevation)
            let entry = try await client.signAndSubmit(by: owner, cosigners: [device, maker]) {
                $0.onboardDevice = onboard
            }
            print("onboarded \(device.address) (\(deviceKind.name)), journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Assert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a device's asserted location and antenna.",
            discussion: "Costs the fee in credits the genesis sets for the device's service and resets its location trust.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The owner's key file.") var ownerKey = "depin.key"
        @Option(name: .long, help: "The device's address.") var device: String
        @Option(name: .long, parsing: .unconditional, help: "Latitude (degrees).") var lat: Double
        @Option(name: .long, parsing: .unconditional, help: "Longitude (degrees).") var lng: Double
        @Option(name: .long, parsing: .unconditional, help: "Antenna gain in dBi.") var gain: Double = 0
        @Option(name: .long, help: "Antenna height above ground in metres.") var elevation: Double = 0

        func run() async throws {
            let owner = try KeyFile.load(from: ownerKey)
            let deviceAddress = try parseAddress(device, "--device")
            let client = try node.client
            var assert = AssertLocation()
            assert.device = deviceAddress.publicKey.rawRepresentation
            assert.location.lat = lat
            assert.location.lng = lng
            assert.antennaGainDbi = gain
            assert.elevationM = elevation
            let entry = try await client.signAndSubmit(by: owner) { $0.assertLocation = assert }
            let fee = (entry["postings"] as? [[String: Any]])?.first?["amount"] ?? "0"
            print("asserted \(deviceAddress) at \(lat), \(lng) for \(fee) credits, journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a device and its latest reports.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The device's address.") var id: String

        func run() async throws {
            let address = try parseAddress(id, "device")
            let client = try node.client
            let device = try await client.json("/v1/devices/\(address)")
            for key in ["id", "kind", "owner", "maker", "onboarded_ms", "last_report_nonce"] {
                print("\(key): \(device[key] ?? "")")
            }
            if let location = device["location"] as? [String: Any] {
                print("location: \(location["lat"] ?? ""), \(location["lng"] ?? "")")
                print("antenna: \(device["antenna_gain_dbi"] ?? 0) dBi at \(device["elevation_m"] ?? 0) m")
            }
            let reports = try await client.getting("/v1/devices/\(address)/reports?limit=5")
            let list = (try? JSONSerialization.jsonObject(with: reports.body) as? [[String: Any]]) ?? []
            print("latest reports: \(list.count)")
            for report in list {
                print("  #\(report["nonce"] ?? "") \(report["type"] ?? "") epoch \(report["epoch"] ?? "")")
            }
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand a device to a new owner.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The current owner's key file.") var ownerKey = "depin.key"
        @Option(name: .long, help: "The device's address.") var device: String
        @Option(name: .long, help: "The new owner's address.") var to: String

        func run() async throws {
            let owner = try KeyFile.load(from: ownerKey)
            let deviceAddress = try parseAddress(device, "--device")
            let newOwner = try parseAddress(to, "--to")
            let client = try node.client
            var handover = TransferDevice()
            handover.device = deviceAddress.publicKey.rawRepresentation
            handover.newOwner = newOwner.description
            let entry = try await client.signAndSubmit(by: owner) { $0.transferDevice = handover }
            print("device \(deviceAddress) now belongs to \(newOwner), journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Rewards: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What a device earned, epoch by epoch, and why.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The device's address.") var id: String
        @Option(name: .long, help: "One epoch (default: the last ten closed).") var epoch: Int64?

        func run() async throws {
            let address = try parseAddress(id, "device")
            let path = "/v1/devices/\(address)/rewards" + (epoch.map { "?epoch=\($0)" } ?? "")
            let reply = try await node.client.getting(path)
            let list = (try? JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]]) ?? []
            if list.isEmpty { print("no closed epochs yet") }
            for entry in list {
                let reward = entry["reward"] as? [String: Any]
                print("epoch \(entry["epoch"] ?? ""): \(reward?["amount"] ?? "0") base units")
                print("  \(entry["explanation"] ?? "")")
            }
        }
    }
}
