/// The values bound to a statement's `?` parameters, in order.
public struct SQLArguments: Sendable, ExpressibleByArrayLiteral {
    public var values: [SQLValue]

    public init(_ values: [SQLValue]) { self.values = values }

    /// Binds each of `elements`, nil as NULL.
    public init(_ elements: [(any SQLValueConvertible)?]) { values = elements.map { $0?.sqlValue ?? .null } }

    public init(arrayLiteral elements: (any SQLValueConvertible)?...) { self.init(elements) }
}
