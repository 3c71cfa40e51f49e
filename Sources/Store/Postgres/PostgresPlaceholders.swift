import NIOConcurrencyHelpers

/// The store writes `?` for a parameter, as SQLite reads it; PostgreSQL reads `$1`, `$2`, ….
/// Statements are numbered once each and remembered.
enum PostgresPlaceholders {
    private static let cache = NIOLockedValueBox<[String: String]>([:])

    /// `sql` with its `?` outside quoted text numbered in order.
    static func numbered(_ sql: String) -> String {
        if let known = cache.withLockedValue({ $0[sql] }) { return known }
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        cache.withLockedValue { $0[sql] = result }
        return result
    }
}
