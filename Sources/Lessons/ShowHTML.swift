import MarkdownTerminal
import LiveValues
import ExpressionLanguage

// `show` values drawn as HTML for `mhalearn export html`: the same rows, numbers, key and scale as
// the terminal draws, as tables a browser can search, copy and translate.

extension FlowBlock: HTMLDrawable {
    var html: String {
        var text = "<figure class=\"flow\"><figcaption><strong>\(HTMLText.escape(flow.title))</strong>"
        text += "<br><span class=\"legend\">\(HTMLText.escape(flow.legend))</span></figcaption>\n"
        text += "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">step</th><th scope=\"col\">shape</th>"
        text += "<th scope=\"col\">in symbols</th><th scope=\"col\">computed as</th></tr></thead><tbody>\n"
        for step in flow.steps {
            text += "<tr><th scope=\"row\">\(HTMLText.escape(step.name))</th><td class=\"shape\">\(HTMLText.escape(Value.shape(step.shape).description))</td>"
            text += "<td>\(HTMLText.escape(step.symbols))</td><td class=\"operation\">\(HTMLText.escape(step.operation))</td></tr>\n"
        }
        return text + "</tbody></table></div></figure>\n"
    }
}

extension HeatmapBlock: HTMLDrawable {
    var html: String {
        let scale = self.scale
        var text = "<figure class=\"heatmap\"><figcaption><strong>\(HTMLText.escape(heatmap.title))</strong></figcaption>\n"
        text += "<div class=\"scroll\"><table><thead><tr><td></td>"
        text += heatmap.columnLabels.map { "<th scope=\"col\">\(HTMLText.escape($0))</th>" }.joined()
        text += "</tr></thead><tbody>\n"
        for (row, label) in heatmap.rowLabels.enumerated() where row < heatmap.values.count {
            text += "<tr><th scope=\"row\">\(HTMLText.escape(label))</th>"
            for value in heatmap.values[row] {
                let level = HeatmapBlock.level(abs(value) / scale)
                text += "<td class=\"level\(level)\">\(HTMLText.escape(HeatmapBlock.number(value)))</td>"
            }
            text += "</tr>\n"
        }
        text += "</tbody></table></div>\n<p class=\"key\">Key:"
        let bounds = HeatmapBlock.thresholds.map { Value.format($0 * scale, significantDigits: 3) }
        let words = ["under \(bounds[0])", "under \(bounds[1])", "under \(bounds[2])", "under \(bounds[3])", "\(bounds[3]) or more"]
        for (level, word) in words.enumerated() {
            text += " <span class=\"swatch level\(level)\" aria-hidden=\"true\">\(HeatmapBlock.shades[level])</span> \(HTMLText.escape(word))"
        }
        text += "</p>\n"
        if let note = sumNote { text += "<p class=\"note\">\(HTMLText.escape(note))</p>\n" }
        return text + "</figure>\n"
    }
}

extension TableBlock: HTMLDrawable {
    var html: String {
        let count = ((header.map { [$0] } ?? []) + rows).map(\.count).max() ?? 0
        let numeric = (0..<count).map { column in
            rows.allSatisfy { column >= $0.count || Double($0[column].replacingOccurrences(of: ",", with: "")) != nil }
        }
        var text = "<div class=\"scroll\"><table class=\"values\">"
        if let header {
            text += "<thead><tr>" + header.map { "<th scope=\"col\">\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>"
        }
        text += "<tbody>\n"
        for row in rows {
            text += "<tr>" + row.enumerated().map { column, cell in
                "<td\(column < numeric.count && numeric[column] ? " class=\"number\"" : "")>\(HTMLText.escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return text + "</tbody></table></div>\n"
    }
}

extension HeadsGridBlock: HTMLDrawable {
    /// The real model's grid as the terminal draws it without colour (shade characters and the key), as text.
    public var html: String {
        let lines = self.lines(width: 100, style: TerminalStyle(color: false))
        return "<figure class=\"heads\"><pre>" + HTMLText.escape(lines.joined(separator: "\n")) + "</pre></figure>\n"
    }
}
