import Core
import Foundation
import Ledger
import Testing

@testable import Rewards

/// The node's log grouped at the wire's top level gives exactly what decoding every report gives.
@Suite struct EpochReportGroupingTests {
    let start: Int64 = 1_000_000

    /// Reports of several bodies, with every field a service reads set.
    func reports(by key: SigningKey, nonces: ClosedRange<UInt64>) -> [Report] {
        nonces.map { nonce in
            var report = Report()
            report.nonce = nonce
            report.timestampMs = start + Int64(nonce) * 1_000
            switch nonce % 4 {
            case 0:
                report.heartbeat.uptimeS = nonce
                report.heartbeat.agentVersion = "agent-\(nonce)"
                report.heartbeat.location.lat = 37.5
                report.heartbeat.location.lng = -122.25
            case 1:
                report.witness.beaconer = Data(repeating: UInt8(nonce), count: 32)
                report.witness.rssiDbm = -97.5
                report.witness.frequencyHz = 868_100_000
            case 2:
                report.packets.router = "router-\(nonce)"
                report.packets.packets = nonce * 300
            default:
                report.meterReadings.serial = "M-\(nonce)"
            }
            report.sign(with: key)
            return report
        }
    }

    func grouped(_ log: [Data], devices: [SigningKey], checking: Bool) -> [Address: [Report]] {
        let input = EpochInput(
            epoch: 0, startMs: start, endMs: start + 3_600_000,
            devices: devices.map { .init(id: $0.address, kind: "hotspot", owner: $0.address, payout: nil) }
                .sorted { $0.id < $1.id },
            reports: [], emittedBefore: .zero)
        var grouping = EpochReportGrouping(input: input, checkingSignatures: checking)
        for bytes in log { grouping.add(bytes) }
        return grouping.byDevice.dictionary
    }

    @Test func theWireReaderGroupsAsTheDecoderDoes() throws {
        let a = SigningKey()
        let b = SigningKey()
        let stranger = SigningKey()
        var log: [Data] = []
        var expected: [Address: [Report]] = [:]
        for (key, reports) in [(a, reports(by: a, nonces: 1...9)), (b, reports(by: b, nonces: 3...8))] {
            for report in reports {
                log.append(report.canonicalBytes)
                var kept = report
                kept.signature = Data()
                expected[key.address, default: []].append(kept)
            }
        }
        // Left out: a stranger's report, one timed after the epoch, bytes that do not decode.
        log.append(reports(by: stranger, nonces: 1...1)[0].canonicalBytes)
        var late = reports(by: a, nonces: 20...20)[0]
        late.timestampMs = start + 3_600_000
        late.sign(with: a)
        log.append(late.canonicalBytes)
        log.append(Data([0x0A, 0x20, 0x01]))
        // A report whose fields come out of the usual order, with its time written twice (the
        // last one counts): the reader takes it as the decoder does.
        var odd = reports(by: b, nonces: 9...9)[0]
        odd.signature = Data()
        var oddBytes = Data([0x18, 0x01])  // timestamp_ms = 1, overwritten by the canonical one
        oddBytes.append(odd.canonicalBytes)
        log.append(oddBytes)
        expected[b.address, default: []].append(odd)

        let read = grouped(log, devices: [a, b], checking: false)
        #expect(read == expected)
        #expect(read[a.address]?.count == 9 && read[b.address]?.count == 7)
        // Checking signatures instead: the odd report is unsigned, so it is out.
        expected[b.address]?.removeLast()
        #expect(grouped(log, devices: [a, b], checking: true) == expected)
    }

    @Test func theReaderRefusesWhatIsNotPlainlyWellFormed() {
        for bytes: [UInt8] in [
            [0x0B],  // a group
            [0x08, 0x80],  // a varint cut short
            [0x12, 0x05, 0x01],  // a length past the end
            [0x08] + [UInt8](repeating: 0xFF, count: 11),  // a varint past ten bytes
            [0x09, 1, 2, 3, 4, 5, 6, 7, 8],  // the device as a fixed64
        ] {
            #expect(Data(bytes).withUnsafeBytes { ReportWire.fields($0) } == nil, "\(bytes)")
        }
        let fine = Data([0x10, 0x05, 0x18, 0x07])
        let fields = fine.withUnsafeBytes { ReportWire.fields($0) }
        #expect(fields?.timestampMs == 7)
        #expect(fields?.kept == [0..<2, 2..<4])
    }
}
