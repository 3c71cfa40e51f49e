import Core

/// A network's founding document (`network.toml`): its token, emission, epochs, services and the
/// keys it trusts. Everything a node does is a function of this and of the signed messages it
/// receives.
public struct Genesis: Sendable, Equatable {
    /// The token's identity and limits.
    public struct Token: Sendable, Equatable {
        /// A display name, e.g. "Coverage Token".
        public var name: String
        /// A ticker of 2 to 11 upper-case letters or digits.
        public var symbol: String
        /// Base units per token as a power of ten (0 to 18).
        public var decimals: Int
        /// The most base units that may ever exist: the genesis allocations plus every mint.
        public var supplyCap: Amount

        /// A value with every field given.
        public init(name: String, symbol: String, decimals: Int, supplyCap: Amount) {
            self.name = name
            self.symbol = symbol
            self.decimals = decimals
            self.supplyCap = supplyCap
        }
    }

    /// How emission per epoch falls over time.
    public enum Decay: Sendable, Equatable {
        /// The same emission every epoch until the cap.
        case none
        /// Emission halves every `epochs` epochs (Helium halves every two years).
        case halving(epochs: Int)
        /// Emission falls by `percent` percent each year (DIMO cuts weekly issuance by 15% a year).
        case yearlyCut(percent: Int)
    }

    /// The emission schedule.
    public struct Emission: Sendable, Equatable {
        /// Base units emitted in epoch 0.
        public var perEpoch: Amount
        /// The decay.
        public var decay: Decay

        /// A value with every field given.
        public init(perEpoch: Amount, decay: Decay) {
            self.perEpoch = perEpoch
            self.decay = decay
        }
    }

    /// Epoch timing.
    public struct Epochs: Sendable, Equatable {
        /// The length of one epoch in seconds.
        public var lengthSeconds: Int
        /// When epoch 0 starts, seconds since the Unix epoch.
        public var startTime: Int64
        /// How long after its end an epoch closes, so late reports still count.
        public var graceSeconds: Int

        /// Epoch timing.
        public init(lengthSeconds: Int, startTime: Int64, graceSeconds: Int = 600) {
            self.lengthSeconds = lengthSeconds
            self.startTime = startTime
            self.graceSeconds = graceSeconds
        }

        /// The epoch `timestampMs` falls in (negative before the start).
        public func epoch(ofMs timestampMs: Int64) -> Int64 {
            let offset = timestampMs - startTime * 1000
            let length = Int64(lengthSeconds) * 1000
            return offset >= 0 ? offset / length : (offset - length + 1) / length
        }

        /// The first millisecond of `epoch`.
        public func startMs(of epoch: Int64) -> Int64 { (startTime + epoch * Int64(lengthSeconds)) * 1000 }

        /// The millisecond after the last of `epoch`.
        public func endMs(of epoch: Int64) -> Int64 { startMs(of: epoch + 1) }
    }

    /// A service the network runs, with its share of each epoch's emission.
    public struct Service: Sendable, Equatable {
        /// The service's name (coverage, rendering, storage, mapping, telemetry, or a new one).
        public var name: String
        /// Its pool weight; pools split emission pro rata to weights.
        public var weight: Int
        /// The device kinds that serve it.
        public var kinds: [DeviceKind]
        /// Service-specific parameters, read by the service module.
        public var parameters: TOMLTable

        /// A value with every field given.
        public init(name: String, weight: Int, kinds: [DeviceKind], parameters: TOMLTable) {
            self.name = name
            self.weight = weight
            self.kinds = kinds
            self.parameters = parameters
        }
    }

    /// What happens to the share of a pool that no device earned.
    public enum EmptyPoolPolicy: String, Sendable, Equatable {
        /// It goes to the treasury account.
        case treasury
        /// It is added to the same pool in the next epoch.
        case carry
    }

    /// The treasury: its pool weight and account.
    public struct Treasury: Sendable, Equatable {
        /// Its pool weight.
        public var weight: Int
        /// The account that receives it (and floor-division remainders).
        public var account: Address
        /// Where unearned pool shares go.
        public var emptyPools: EmptyPoolPolicy
        /// The account that holds rewards settled to EVM payout addresses: its balance is what
        /// the Merkle distributor owes.
        public var settlementAccount: Address

        /// A treasury; the settlement account defaults to the treasury account.
        public init(weight: Int, account: Address, emptyPools: EmptyPoolPolicy, settlementAccount: Address? = nil) {
            self.weight = weight
            self.account = account
            self.emptyPools = emptyPools
            self.settlementAccount = settlementAccount ?? account
        }
    }

    /// Report acceptance windows.
    public struct Reports: Sendable, Equatable {
        /// How far in the future a report's timestamp may be, for clock skew.
        public var maxFutureSeconds: Int
        /// How old a report may be when it arrives (store and forward needs slack).
        public var maxAgeSeconds: Int

        /// A value with every field given.
        public init(maxFutureSeconds: Int, maxAgeSeconds: Int) {
            self.maxFutureSeconds = maxFutureSeconds
            self.maxAgeSeconds = maxAgeSeconds
        }
    }

    /// A premint at genesis (team, investors, treasury), counted against the supply cap.
    public struct Allocation: Sendable, Equatable {
        /// Who receives it.
        public var account: Address
        /// How much, in base units.
        public var amount: Amount

        /// A value with every field given.
        public init(account: Address, amount: Amount) {
            self.account = account
            self.amount = amount
        }
    }

    /// The token.
    public var token: Token
    /// The emission schedule.
    public var emission: Emission
    /// Epoch timing.
    public var epochs: Epochs
    /// Credits made per whole token burned, at genesis (the burn quote until an oracle updates it).
    public var creditsPerToken: Amount
    /// How old an oracle's price may be and still set the burn quote.
    public var maxPriceAgeSeconds: Int = 3_600
    /// The services, in the order written.
    public var services: [Service]
    /// The treasury.
    public var treasury: Treasury
    /// Report windows.
    public var reports: Reports
    /// The oracles that co-sign epoch roots.
    public var oracles: [PublicKey]
    /// How many oracle signatures make a root final.
    public var quorum: Int
    /// The maker keys allowed to attest hardware.
    public var makers: [PublicKey]
    /// The operator keys allowed to sign admin changes: the denylist and service parameters
    /// (`[operators]`, optional; without it the network has no admin changes).
    public var operators: [PublicKey] = []
    /// Genesis allocations.
    public var allocations: [Allocation]

    /// The kinds any service lists, i.e. the kinds that may be onboarded.
    public var deviceKinds: Set<DeviceKind> { Set(services.flatMap(\.kinds)) }

    /// The sum of genesis allocations.
    public var allocated: Amount {
        allocations.reduce(Amount.zero) { (try? $0.adding($1.amount)) ?? Amount(.max) }
    }

    /// A value with every field given.
    public init(token: Token, emission: Emission, epochs: Epochs, creditsPerToken: Amount, services: [Service], treasury: Treasury, reports: Reports, oracles: [PublicKey], quorum: Int, makers: [PublicKey], allocations: [Allocation]) {
        self.token = token
        self.emission = emission
        self.epochs = epochs
        self.creditsPerToken = creditsPerToken
        self.services = services
        self.treasury = treasury
        self.reports = reports
        self.oracles = oracles
        self.quorum = quorum
        self.makers = makers
        self.allocations = allocations
    }
}
