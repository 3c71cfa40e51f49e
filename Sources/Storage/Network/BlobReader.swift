import Core
import Foundation
import Store

/// Reads a blob's segments back from storage nodes: for each segment it fetches k pieces at once
/// (data pieces first, which decode cheapest) and, for each piece that does not come or whose
/// bytes do not match its id, one more, until k good pieces rebuild the segment.
public struct BlobReader: Sendable {
    /// What reading found, for the log and for repair.
    public struct Tally: Sendable {
        public var used = 0
        public var missing: [PiecePlacement] = []
        /// Piece bytes each storage node served.
        public var served: [Address: Int64] = [:]

        public init() {}
    }

    let client: StorageNodeClient

    public init(client: StorageNodeClient) {
        self.client = client
    }

    /// The plain bytes of `segment` of a blob coded k of n.
    public func segment(_ segment: BlobRecord.Segment, k: Int, n: Int, tally: inout Tally) async throws(S3Error) -> [UInt8] {
        let code: ErasureCode
        do { code = try ErasureCode(k: k, n: n) } catch { throw S3Error(.internalError, "a stored segment's code is invalid: \(error)") }
        var queue = segment.pieces.sorted { $0.index < $1.index }[...]
        var good: [Int: [UInt8]] = [:]
        let client = client
        await withTaskGroup(of: (PiecePlacement, Data?).self) { group in
            var running = 0
            while running < k, let piece = queue.popFirst() {
                group.addTask { (piece, try? await client.get(id: piece.pieceID, url: piece.url)) }
                running += 1
            }
            while let (piece, bytes) = await group.next() {
                if let bytes, bytes.count > BlobWriter.nonceBytes {
                    good[piece.index] = [UInt8](bytes.dropFirst(BlobWriter.nonceBytes))
                    tally.served[piece.node, default: 0] += Int64(bytes.count)
                    if good.count == k { group.cancelAll() }
                } else {
                    tally.missing.append(piece)
                    if good.count < k, let another = queue.popFirst() {
                        group.addTask { (another, try? await client.get(id: another.pieceID, url: another.url)) }
                    }
                }
            }
        }
        guard good.count >= k else {
            throw S3Error(
                .serviceUnavailable,
                "a segment has \(good.count) good pieces of the \(k) it needs (\(tally.missing.count) missing or corrupt)")
        }
        tally.used += good.count
        do { return try code.decode(good, length: segment.length) } catch {
            throw S3Error(.internalError, "a segment could not be decoded: \(error)")
        }
    }
}
