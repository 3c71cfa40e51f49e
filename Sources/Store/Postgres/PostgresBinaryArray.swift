import Foundation
import NIOCore
import PostgresNIO

/// A one-dimensional array parameter in PostgreSQL's binary format (what the server's
/// `array_recv` reads: dimensions, a has-nulls flag, the element type, each dimension's length
/// and lower bound, then each element as its length and bytes), written straight into one
/// buffer sized beforehand. An ingest commit binds a few columns of hundreds of reports each;
/// built as one `PostgresData` an element, every element was a buffer of its own (a blob copied
/// into an array first) and then copied again into the array's.
enum PostgresBinaryArray {
    static func int8(_ values: [Int64]) -> PostgresData {
        var buffer = header(count: values.count, element: .int8, bytes: values.count * 8)
        for value in values {
            buffer.writeInteger(Int32(8))
            buffer.writeInteger(value)
        }
        return PostgresData(type: .int8Array, formatCode: .binary, value: buffer)
    }

    static func bytea(_ values: [Data]) -> PostgresData {
        var buffer = header(count: values.count, element: .bytea, bytes: values.reduce(0) { $0 + $1.count })
        for value in values {
            buffer.writeInteger(Int32(value.count))
            buffer.writeBytes(value)
        }
        return PostgresData(type: .byteaArray, formatCode: .binary, value: buffer)
    }

    static func text(_ values: [String]) -> PostgresData {
        var buffer = header(count: values.count, element: .text, bytes: values.reduce(0) { $0 + $1.utf8.count })
        for value in values {
            buffer.writeInteger(Int32(value.utf8.count))
            buffer.writeString(value)
        }
        return PostgresData(type: .textArray, formatCode: .binary, value: buffer)
    }

    /// A buffer holding the array's header, with room for `count` elements of `bytes` in all.
    /// An empty array has no dimensions.
    private static func header(count: Int, element: PostgresDataType, bytes: Int) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 20 + 4 * count + bytes)
        buffer.writeInteger(Int32(count == 0 ? 0 : 1))
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(element.rawValue)
        if count > 0 {
            buffer.writeInteger(Int32(count))
            buffer.writeInteger(Int32(1))
        }
        return buffer
    }
}
