import Foundation

/// Charts drawn by the node as SVG: no scripts, no files fetched.
enum SVGChart {
    /// A line chart of one or more series over the same x values.
    static func lines(id: String, title: String, labels: [String], series: [(name: String, color: String, values: [Double])]) -> String {
        let width = 560.0
        let height = 200.0
        let left = 56.0
        let bottom = 24.0
        let all = series.flatMap(\.values)
        let top = max(all.max() ?? 1, 1e-9)
        let floor = min(all.min() ?? 0, 0)
        let span = max(top - floor, 1e-9)
        let count = max(labels.count - 1, 1)
        func x(_ index: Int) -> Double { left + (width - left - 10) * Double(index) / Double(count) }
        func y(_ value: Double) -> Double { 10 + (height - bottom - 10) * (1 - (value - floor) / span) }
        var out = "<div class=\"chart\"><svg id=\"\(id)\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\" "
        out += "width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        out += "<text x=\"\(left)\" y=\"10\">\(HTMLPage.escape(title))</text>"
        out += "<line x1=\"\(left)\" y1=\"\(y(floor))\" x2=\"\(width - 10)\" y2=\"\(y(floor))\" stroke=\"#c9d0da\"/>"
        out += "<text x=\"4\" y=\"\(y(top) + 4)\">\(Self.compact(top))</text><text x=\"4\" y=\"\(y(floor))\">\(Self.compact(floor))</text>"
        if let first = labels.first { out += "<text x=\"\(left)\" y=\"\(height - 6)\">\(HTMLPage.escape(first))</text>" }
        if labels.count > 1, let last = labels.last {
            out += "<text x=\"\(width - 60)\" y=\"\(height - 6)\">\(HTMLPage.escape(last))</text>"
        }
        for (index, line) in series.enumerated() {
            let points = line.values.enumerated().map { "\(x($0.offset)),\(y($0.element))" }.joined(separator: " ")
            out += "<polyline class=\"series\" data-name=\"\(HTMLPage.escape(line.name))\" fill=\"none\" stroke=\"\(line.color)\" "
            out += "stroke-width=\"2\" points=\"\(points)\"/>"
            out += "<text x=\"\(left + 10 + Double(index) * 130)\" y=\"24\" style=\"fill:\(line.color)\">\(HTMLPage.escape(line.name))</text>"
        }
        return out + "</svg></div>"
    }

    /// 1234567 → "1.2M".
    static func compact(_ value: Double) -> String {
        let magnitude = abs(value)
        switch magnitude {
        case 1e12...: return String(format: "%.1fT", value / 1e12)
        case 1e9...: return String(format: "%.1fB", value / 1e9)
        case 1e6...: return String(format: "%.1fM", value / 1e6)
        case 1e3...: return String(format: "%.1fk", value / 1e3)
        default: return String(format: "%.0f", value)
        }
    }
}
