import Foundation

/// S3's XML: a small writer for the documents the gateway answers with, and a reader for the
/// two request documents it accepts (CompleteMultipartUpload and Delete), which are flat lists
/// of simple elements.
public struct S3XML: Sendable {
    /// The S3 namespace every response document declares.
    public static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    private var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// A document whose root element is `root`, built by `body`. Error documents carry no
    /// namespace, as S3's do (and botocore reads them only so).
    public static func document(_ root: String, namespaced: Bool = true, _ body: (inout S3XML) -> Void) -> String {
        var xml = S3XML()
        xml.text += namespaced ? "<\(root) xmlns=\"\(namespace)\">" : "<\(root)>"
        body(&xml)
        xml.text += "</\(root)>"
        return xml.text
    }

    /// An element with text content, escaped.
    public mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>\(Self.escape(value))</\(name)>"
    }

    /// An element with child elements built by `body`.
    public mutating func element(_ name: String, _ body: (inout S3XML) -> Void) {
        text += "<\(name)>"
        body(&self)
        text += "</\(name)>"
    }

    /// `value` with XML's five special characters escaped.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `value` with XML's entity and character references resolved.
    public static func unescape(_ value: String) -> String {
        guard value.contains("&") else { return value }
        var out = ""
        var rest = Substring(value)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar) } else { out += "&\(entity);" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }

    /// The inner text of each `<name>…</name>` in `xml`, in order (elements of that name must not
    /// nest). A self-closing `<name/>` counts as empty.
    public static func elements(_ name: String, in xml: Substring) -> [Substring] {
        var found: [Substring] = []
        var rest = xml
        while let open = rest.range(of: "<\(name)") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: ">") else { break }
            let attributes = after[..<close]
            guard attributes.isEmpty || attributes.first == " " || attributes.first == "/" || attributes.first == "\t" || attributes.first == "\n" else {
                rest = after
                continue
            }
            if attributes.hasSuffix("/") {
                found.append(after[close..<close])
                rest = after[after.index(after: close)...]
                continue
            }
            let inner = after[after.index(after: close)...]
            guard let end = inner.range(of: "</\(name)>") else { break }
            found.append(inner[..<end.lowerBound])
            rest = inner[end.upperBound...]
        }
        return found
    }

    /// The unescaped, trimmed text of the first `<name>` in `xml`.
    public static func value(_ name: String, in xml: Substring) -> String? {
        elements(name, in: xml).first.map { unescape(String($0).trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A time as S3's XML writes it: ISO 8601 in UTC with milliseconds. One format style for
    /// every call: a listing writes a thousand of these.
    public static func timestamp(ms: Int64) -> String {
        let seconds = Date(timeIntervalSince1970: Double(ms.quotientAndRemainder(dividingBy: 1000).quotient)).formatted(iso)
        let millis = String(ms % 1000 + 1000).dropFirst()
        return seconds.dropLast() + "." + millis + "Z"
    }

    static let iso = Date.ISO8601FormatStyle()

    /// A time as HTTP headers write it (RFC 7231's IMF-fixdate).
    public static func httpDate(ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
