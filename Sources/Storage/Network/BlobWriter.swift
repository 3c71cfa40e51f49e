import Core
import Crypto
import Foundation
import Store

/// Turns a stream of bytes into a placed blob: it cuts the bytes into segments, codes each k of
/// n, and puts each segment's pieces on n distinct storage nodes, while it hashes the whole
/// (MD5 for the ETag, SHA-256 for SigV4's payload check). A node that refuses or does not answer
/// is passed over for the rest of the blob, and its piece goes to another node; a segment with
/// fewer than `minimumPieces` placed fails the blob. `discard()` deletes what was placed.
public final class BlobWriter {
    private let code: ErasureCode
    private let segmentBytes: Int
    private let minimumPieces: Int
    private let client: StorageNodeClient
    private let orderer: SigningKey
    private var candidates: [StorageNodeListing]
    private var failed: Set<Address> = []
    private var buffer: [UInt8] = []
    private var md5 = Insecure.MD5()
    private var sha256 = SHA256()
    private var segments: [BlobRecord.Segment] = []
    /// Bytes taken so far.
    public private(set) var size: Int64 = 0
    /// Why nodes were passed over, for the log.
    public private(set) var problems: [String] = []

    /// A writer that codes with `code` and places pieces on `candidates` (the storage nodes
    /// online, in the order to prefer them).
    public init(
        code: ErasureCode, segmentBytes: Int, minimumPieces: Int, candidates: [StorageNodeListing], client: StorageNodeClient,
        orderer: SigningKey
    ) {
        self.code = code
        self.segmentBytes = segmentBytes
        self.minimumPieces = min(max(minimumPieces, code.k), code.n)
        self.candidates = candidates
        self.client = client
        self.orderer = orderer
        buffer.reserveCapacity(segmentBytes)
    }

    /// Bytes of nonce before each piece's coded bytes.
    public static let nonceBytes = 16

    /// Takes `bytes`, placing each segment as it fills.
    public func append(_ bytes: [UInt8]) async throws(S3Error) {
        md5.update(data: bytes)
        sha256.update(data: bytes)
        size += Int64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            let take = min(segmentBytes - buffer.count, bytes.count - offset)
            buffer.append(contentsOf: bytes[offset..<offset + take])
            offset += take
            if buffer.count == segmentBytes { try await flush() }
        }
    }

    /// Places the last segment and returns the blob (id 0: the store assigns one), its MD5 and
    /// its SHA-256, hex. An empty blob has no segments.
    public func finish() async throws(S3Error) -> (blob: BlobRecord, md5: String, sha256: String) {
        if !buffer.isEmpty { try await flush() }
        let blob = BlobRecord(k: code.k, n: code.n, size: size, segmentBytes: segmentBytes, segments: segments)
        return (blob, Data(md5.finalize()).hexString, Data(sha256.finalize()).hexString)
    }

    /// Deletes every piece placed so far (best effort: a node that does not answer keeps an
    /// unreferenced piece, which it is not paid for).
    public func discard() async {
        let placed = segments.flatMap(\.pieces)
        segments = []
        await Self.delete(placed, client: client, orderer: orderer)
    }

    /// Deletes `pieces` from their nodes, several at a time, best effort.
    public static func delete(_ pieces: [PiecePlacement], client: StorageNodeClient, orderer: SigningKey) async {
        await withTaskGroup(of: Void.self) { group in
            for (number, piece) in pieces.enumerated() {
                if number >= 16 { await group.next() }
                group.addTask { _ = try? await client.delete(id: piece.pieceID, url: piece.url, node: piece.node, orderer: orderer) }
            }
        }
    }

    private func flush() async throws(S3Error) {
        let segment = buffer
        buffer.removeAll(keepingCapacity: true)
        // Each segment's pieces start with a random nonce, so no two segments' pieces are ever
        // the same bytes (and so the same id) on a node, even when their data is: deleting one
        // blob's piece can never delete another's.
        let nonce = (0..<Self.nonceBytes).map { _ in UInt8.random(in: 0...255) }
        let pieces = code.encode(segment).map { Data(nonce + $0) }
        let number = segments.count
        var targets = candidates.filter { !failed.contains($0.device) }
        guard targets.count >= minimumPieces else {
            throw S3Error(
                .serviceUnavailable,
                "a segment is coded into \(code.n) pieces on distinct storage nodes and needs at least \(minimumPieces); \(targets.count) are online")
        }
        // Spread segments over the nodes: segment s starts at candidate s.
        let shift = number % targets.count
        targets = Array(targets[shift...] + targets[..<shift])
        var placed: [PiecePlacement] = []
        var next = 0
        var pending = Array(pieces.indices)
        while !pending.isEmpty, next < targets.count {
            let round = Array(zip(pending, targets[next..<min(next + pending.count, targets.count)]))
            next += round.count
            let results = await withTaskGroup(of: (Int, StorageNodeListing, String?).self) { group in
                for (index, node) in round {
                    let piece = pieces[index]
                    let client = client, orderer = orderer
                    group.addTask {
                        let id = SHA256Digest.hex(piece)
                        do {
                            try await client.put(piece, id: id, url: node.url, node: node.device, orderer: orderer)
                            return (index, node, nil)
                        } catch { return (index, node, "\(error)") }
                    }
                }
                var results: [(Int, StorageNodeListing, String?)] = []
                for await result in group { results.append(result) }
                return results
            }
            for (index, node, problem) in results {
                if let problem {
                    failed.insert(node.device)
                    problems.append(problem)
                } else {
                    let piece = pieces[index]
                    placed.append(
                        PiecePlacement(
                            index: index, pieceID: SHA256Digest.hex(piece), node: node.device, url: node.url,
                            root: PieceCommitment(piece: [UInt8](piece)).root.hexString, bytes: piece.count))
                    pending.removeAll { $0 == index }
                }
            }
        }
        placed.sort { $0.index < $1.index }
        segments.append(BlobRecord.Segment(length: segment.count, pieces: placed))
        guard placed.count >= minimumPieces else {
            throw S3Error(
                .serviceUnavailable,
                "only \(placed.count) of a segment's \(code.n) pieces could be placed (at least \(minimumPieces) are needed): \(problems.suffix(3).joined(separator: "; "))")
        }
    }
}
