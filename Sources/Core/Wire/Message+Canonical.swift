import Foundation
import SwiftProtobuf

extension Message {
    /// The canonical binary encoding: field-number order, as swift-protobuf writes it.
    public var canonicalBytes: Data {
        // Encoding a message that was built or decoded in memory does not fail.
        // swiftlint:disable:next force_try
        try! serializedBytes()
    }

    /// Decodes the binary encoding.
    public init(wireBytes: Data) throws {
        self.init()
        try merge(serializedBytes: wireBytes)
    }
}
