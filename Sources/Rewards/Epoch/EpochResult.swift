import Core
import Foundation

/// A closed epoch: where its emission went and why, and the settlement manifest.
public struct EpochResult: Sendable, Equatable, Codable {
    /// What one device earned, and why.
    public struct DeviceReward: Sendable, Equatable, Codable {
        /// The device.
        public var device: Address
        /// Its owner, paid for it.
        public var owner: Address
        /// The owner's payout address, when the reward settles on an EVM chain.
        public var payout: EVMAddress?
        /// The service whose pool paid it.
        public var service: String
        /// Reports that counted.
        public var counted: Int
        /// Reports that did not count, by reason code.
        public var rejected: [String: Int]
        /// Its shares of the pool's output part.
        public var shares: String
        /// All shares in the pool.
        public var poolShares: String
        /// The multiplier applied to its counted reports, as a decimal string.
        public var multiplier: String
        /// Credits it earned serving paid usage.
        public var usageCredits: Amount
        /// Base units earned.
        public var amount: Amount
    }

    /// One pool.
    public struct Pool: Sendable, Equatable, Codable {
        /// The service, or "treasury".
        public var name: String
        /// Its weight.
        public var weight: Int
        /// Its part of the emission, plus what was carried into it.
        public var amount: Amount
        /// Paid to devices.
        public var paid: Amount
        /// Left by floor division, sent to the treasury.
        public var remainder: Amount
        /// Unearned and carried to the next epoch.
        public var carried: Amount
        /// Unearned and sent to the treasury.
        public var toTreasury: Amount
    }

    /// One ledger mint.
    public struct Mint: Sendable, Equatable, Codable {
        /// Who receives it.
        public var account: Address
        /// How much.
        public var amount: Amount

        /// A mint line.
        public init(account: Address, amount: Amount) {
            self.account = account
            self.amount = amount
        }
    }

    /// One manifest line: a payout address and all it may claim so far.
    public struct ManifestEntry: Sendable, Equatable, Codable {
        /// The payout address.
        public var address: EVMAddress
        /// Its cumulative total, in base units.
        public var cumulative: Amount

        /// A manifest line.
        public init(address: EVMAddress, cumulative: Amount) {
            self.address = address
            self.cumulative = cumulative
        }
    }

    /// The epoch.
    public var epoch: Int64
    /// Its window.
    public var startMs: Int64
    /// Its window's end.
    public var endMs: Int64
    /// Its emission under the schedule and the cap.
    public var emission: Amount
    /// What this epoch minted (emission plus carried in, less carried out).
    public var minted: Amount
    /// Tokens burned in the epoch.
    public var burned: Amount
    /// The pools.
    public var pools: [Pool]
    /// Device rewards, sorted by device.
    public var devices: [DeviceReward]
    /// Mints by account, sorted by account.
    public var mints: [Mint]
    /// Pool amounts carried to the next epoch, by service.
    public var carryForward: [String: Amount]
    /// Cumulative totals by payout address, sorted by address.
    public var manifest: [ManifestEntry]
    /// The manifest's StandardMerkleTree root, 0x-hex.
    public var root: String
    /// Escrowed credits the epoch gives back (bounties nobody earned).
    public var refunds: [CreditRefund] = []
    /// SHA-256 (hex) of each service state the epoch leaves, by service; a recomputation must
    /// reproduce them as it reproduces the root.
    public var stateDigests: [String: String] = [:]
    /// The states themselves, by service: stored beside the epoch, not in its JSON.
    public var states: [String: Data] = [:]

    enum CodingKeys: String, CodingKey {
        case epoch, emission, minted, burned, pools, devices, mints, manifest, root, refunds
        case startMs, endMs, carryForward, stateDigests
    }

    /// A result.
    public init(
        epoch: Int64, startMs: Int64, endMs: Int64, emission: Amount, minted: Amount, burned: Amount, pools: [Pool],
        devices: [DeviceReward], mints: [Mint], carryForward: [String: Amount], manifest: [ManifestEntry], root: String,
        refunds: [CreditRefund] = [], states: [String: Data] = [:]
    ) {
        self.epoch = epoch
        self.startMs = startMs
        self.endMs = endMs
        self.emission = emission
        self.minted = minted
        self.burned = burned
        self.pools = pools
        self.devices = devices
        self.mints = mints
        self.carryForward = carryForward
        self.manifest = manifest
        self.root = root
        self.refunds = refunds
        self.states = states
        self.stateDigests = states.mapValues { SHA256Digest.hex($0) }
    }

    /// Decodes a result; the keys added after the first release may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epoch = try container.decode(Int64.self, forKey: .epoch)
        startMs = try container.decode(Int64.self, forKey: .startMs)
        endMs = try container.decode(Int64.self, forKey: .endMs)
        emission = try container.decode(Amount.self, forKey: .emission)
        minted = try container.decode(Amount.self, forKey: .minted)
        burned = try container.decode(Amount.self, forKey: .burned)
        pools = try container.decode([Pool].self, forKey: .pools)
        devices = try container.decode([DeviceReward].self, forKey: .devices)
        mints = try container.decode([Mint].self, forKey: .mints)
        carryForward = try container.decode([String: Amount].self, forKey: .carryForward)
        manifest = try container.decode([ManifestEntry].self, forKey: .manifest)
        root = try container.decode(String.self, forKey: .root)
        refunds = try container.decodeIfPresent([CreditRefund].self, forKey: .refunds) ?? []
        stateDigests = try container.decodeIfPresent([String: String].self, forKey: .stateDigests) ?? [:]
    }

    /// Equal in everything published; the states themselves are compared through their digests.
    public static func == (lhs: EpochResult, rhs: EpochResult) -> Bool {
        lhs.epoch == rhs.epoch && lhs.startMs == rhs.startMs && lhs.endMs == rhs.endMs && lhs.emission == rhs.emission
            && lhs.minted == rhs.minted && lhs.burned == rhs.burned && lhs.pools == rhs.pools && lhs.devices == rhs.devices
            && lhs.mints == rhs.mints && lhs.carryForward == rhs.carryForward && lhs.manifest == rhs.manifest
            && lhs.root == rhs.root && lhs.refunds == rhs.refunds && lhs.stateDigests == rhs.stateDigests
    }

    /// The manifest as a tree.
    public var tree: StandardMerkleTree {
        StandardMerkleTree(leaves: manifest.map { .init(address: $0.address, amount: $0.cumulative) })
    }

    /// The reward of `device`, if it earned in this epoch.
    public func reward(of device: Address) -> DeviceReward? {
        devices.first { $0.device == device }
    }
}
