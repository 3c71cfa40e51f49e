import Foundation

/// A line chart as SVG text: series over epochs, optional percentile bands, dashed reference
/// lines, axes with round ticks. Plain SVG 1.1, so any browser or editor opens it.
public struct SVGChart: Sendable {
    /// One line, with an optional band around it.
    public struct Series: Sendable {
        /// Its legend.
        public var name: String
        /// A value per epoch.
        public var values: [Double]
        /// The band's lower and upper edges per epoch (Monte Carlo percentiles), if any.
        public var band: (lower: [Double], upper: [Double])?
        /// Drawn dashed (a limit, such as the supply cap or the hardware's cost).
        public var dashed: Bool

        /// A series.
        public init(name: String, values: [Double], band: (lower: [Double], upper: [Double])? = nil, dashed: Bool = false) {
            self.name = name
            self.values = values
            self.band = band
            self.dashed = dashed
        }
    }

    /// The title.
    public var title: String
    /// The vertical axis's unit.
    public var unit: String
    /// The lines.
    public var series: [Series]
    /// The horizontal axis's label.
    public var xLabel = "epoch"

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// A chart.
    public init(title: String, unit: String, series: [Series]) {
        self.title = title
        self.unit = unit
        self.series = series
    }

    /// The SVG document, `width` by `height` pixels.
    public func svg(width: Double = 860, height: Double = 420) -> String {
        let left = 78.0, right = 190.0, top = 40.0, bottom = 48.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let count = series.map(\.values.count).max() ?? 0
        let all = series.flatMap { $0.values + ($0.band?.lower ?? []) + ($0.band?.upper ?? []) }.filter(\.isFinite)
        let ticks = Self.ticks(low: min(all.min() ?? 0, 0), high: max(all.max() ?? 1, 0))
        let low = ticks.first ?? 0, high = ticks.last ?? 1
        func x(_ index: Int) -> Double { left + (count > 1 ? Double(index) / Double(count - 1) : 0) * plotWidth }
        func y(_ value: Double) -> Double {
            top + plotHeight - (high > low ? (min(max(value, low), high) - low) / (high - low) : 0) * plotHeight
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="15" font-weight="bold">\(Self.escape(title))</text>

            """
        for tick in ticks {
            let position = Self.format(y(tick))
            svg += "<line x1=\"\(left)\" y1=\"\(position)\" x2=\"\(left + plotWidth)\" y2=\"\(position)\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(position)\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                + "\(Self.escape(Self.compact(tick)))</text>\n"
        }
        for index in Self.epochTicks(count: count) {
            svg += "<text x=\"\(Self.format(x(index)))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(index)</text>\n"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>\n"
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        svg += "<text x=\"16\" y=\"\(top + plotHeight / 2)\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 16 \(top + plotHeight / 2))\">\(Self.escape(unit))</text>\n"
        for (number, line) in series.enumerated() {
            let color = Self.colors[number % Self.colors.count]
            if let band = line.band, !band.lower.isEmpty {
                let upper = band.upper.indices.map { "\(Self.format(x($0))),\(Self.format(y(band.upper[$0])))" }
                let lower = band.lower.indices.reversed().map { "\(Self.format(x($0))),\(Self.format(y(band.lower[$0])))" }
                svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            }
            let points = line.values.indices.filter { line.values[$0].isFinite }
                .map { "\(Self.format(x($0))),\(Self.format(y(line.values[$0])))" }
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"\(dash)/>\n"
            let legendY = top + 8 + Double(number) * 20
            svg += "<line x1=\"\(left + plotWidth + 16)\" y1=\"\(legendY)\" x2=\"\(left + plotWidth + 40)\" y2=\"\(legendY)\" "
                + "stroke=\"\(color)\" stroke-width=\"2.5\"\(dash)/>\n"
            svg += "<text x=\"\(left + plotWidth + 46)\" y=\"\(legendY)\" dominant-baseline=\"middle\">\(Self.escape(line.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Round tick values covering `low...high`.
    static func ticks(low: Double, high: Double) -> [Double] {
        guard high > low else { return [low, low + 1] }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let first = floor(low / step) * step
        var ticks: [Double] = []
        var value = first
        while value < high + step * 0.999 {
            ticks.append(value)
            value += step
        }
        return ticks
    }

    /// About six epoch labels at round positions.
    static func epochTicks(count: Int) -> [Int] {
        guard count > 1 else { return count == 1 ? [0] : [] }
        let step = Int(ticks(low: 0, high: Double(count - 1)).dropFirst().first ?? 1)
        return Array(stride(from: 0, to: count, by: max(step, 1)))
    }

    /// 1.2k, 3.4M, 0.0012 and so on.
    public static func compact(_ value: Double) -> String {
        let size = abs(value)
        if size >= 1e12 { return trim(value / 1e12) + "T" }
        if size >= 1e9 { return trim(value / 1e9) + "G" }
        if size >= 1e6 { return trim(value / 1e6) + "M" }
        if size >= 1e4 { return trim(value / 1e3) + "k" }
        if size == 0 || size >= 1 { return trim(value) }
        return String(format: "%.3g", value)
    }

    private static func trim(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
