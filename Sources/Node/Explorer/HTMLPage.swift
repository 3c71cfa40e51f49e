import Foundation

/// A server-rendered explorer page: the layout every page shares (navigation, search, styles
/// inline so nothing is fetched from elsewhere) around a page's own body.
struct HTMLPage {
    var title: String
    var body: String

    /// Text escaped for HTML.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A table with a header row; cells are already HTML.
    static func table(_ id: String, headers: [String], rows: [[String]]) -> String {
        var out = "<table id=\"\(id)\"><thead><tr>"
        for header in headers { out += "<th>\(escape(header))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows { out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>" }
        return out + "</tbody></table>"
    }

    /// A link to another explorer page.
    static func link(_ path: String, _ text: String) -> String {
        "<a href=\"\(escape(path))\">\(escape(text))</a>"
    }

    /// A short form of a long identifier, whole in its tooltip.
    static func short(_ text: String) -> String {
        guard text.count > 20 else { return escape(text) }
        return "<span title=\"\(escape(text))\">\(escape(String(text.prefix(12))))…\(escape(String(text.suffix(6))))</span>"
    }

    var html: String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title)) · depin explorer</title><link rel="icon" href="data:,">
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b2330;background:#f6f7f9}
        header{background:#1b2330;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
        header a{color:#cfe3ff;text-decoration:none;font-weight:600}header .brand{color:#fff;font-size:18px}
        header form{margin-left:auto}header input{padding:6px 10px;border-radius:6px;border:0;width:320px}
        main{padding:20px 24px;max-width:1200px;margin:auto}h1{font-size:22px;margin:8px 0 16px}h2{font-size:17px;margin:24px 0 8px}
        .cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border-radius:10px;padding:12px 16px;min-width:150px;box-shadow:0 1px 2px #0001}
        .card .label{font-size:12px;color:#5b6676;text-transform:uppercase;letter-spacing:.04em}.card .value{font-size:20px;font-weight:650;margin-top:4px}
        table{border-collapse:collapse;background:#fff;width:100%;box-shadow:0 1px 2px #0001;border-radius:8px;overflow:hidden;font-size:14px}
        th,td{padding:7px 10px;text-align:left;border-bottom:1px solid #eef0f3}th{background:#eef1f5;font-size:12px;text-transform:uppercase;color:#5b6676}
        .muted{color:#6b7686}.bar{height:10px;background:#e3e7ee;border-radius:5px;overflow:hidden}.bar span{display:block;height:100%;background:#2f7ae5}
        svg text{font-size:11px;fill:#5b6676}.chart{background:#fff;border-radius:10px;padding:8px;box-shadow:0 1px 2px #0001}
        code{font-size:12px;background:#eef1f5;padding:1px 4px;border-radius:4px;word-break:break-all}
        </style></head><body>
        <header><a class="brand" href="/">depin explorer</a><a href="/">Network</a><a href="/map">Map</a>\
        <a href="/markets/coverage">Coverage</a>
        <form action="/search" method="get"><input id="search" name="q" placeholder="address, device, epoch"></form></header>
        <main>\(body)</main></body></html>
        """
    }
}
