import Foundation
import MarkdownTerminal
import LiveValues
import ExpressionLanguage

/// Turns the value of a `show` statement into a block for the terminal renderer.
public enum ShowRenderer {
    /// The block that shows `value`: a flow diagram, a heatmap, a table, or the value as text.
    public static func block(for value: Value, position: SourcePosition) -> Block {
        switch value {
        case .object(let flow as FlowValue):
            return .custom(FlowBlock(flow: flow), position: position)
        case .object(let heatmap as HeatmapValue):
            return .custom(HeatmapBlock(heatmap: heatmap), position: position)
        case .object(let grid as HeadsGridValue):
            return .custom(HeadsGridBlock(grid: grid), position: position)
        case .object(let real as RealHeadsValue):
            if case .object(let grid as HeadsGridValue)? = real.member("grid") {
                return .custom(HeadsGridBlock(grid: grid), position: position)
            }
        case .object(let table as TableValue):
            return .custom(TableBlock(header: table.header, rows: table.rows.map { $0.map(LessonEvaluation.inlineText) }), position: position)
        case .object(let lab as DecodeCostValue):
            let table = lab.table
            return .custom(TableBlock(header: table.header, rows: table.rows.map { $0.map(LessonEvaluation.inlineText) }), position: position)
        case .object(let run as RunValue):
            if case .object(let flow as FlowValue)? = run.member("flow") {
                return .custom(FlowBlock(flow: flow), position: position)
            }
        case .object(let tensor as TensorValue) where tensor.shape.count == 2 && tensor.shape.allSatisfy({ $0 <= 24 }):
            let columns = tensor.shape[1]
            let values = tensor.values
            let rows = (0..<tensor.shape[0]).map { row in Array(values[(row * columns)..<((row + 1) * columns)]) }
            let heatmap = HeatmapValue(title: "\(tensor.name) \(Value.shape(tensor.shape))",
                                       rowLabels: (0..<tensor.shape[0]).map { "\($0)" },
                                       columnLabels: (0..<columns).map { "\($0)" }, values: rows)
            return .custom(HeatmapBlock(heatmap: heatmap), position: position)
        case .object(let prose as ProseValue):
            return .paragraph([.text(prose.text)], position: position)
        case .object(let example as WorkedExampleValue):
            if let heatmap = try? example.comparison(from: "it") {
                return .custom(HeatmapBlock(heatmap: heatmap), position: position)
            }
        case .list(let rows) where !rows.isEmpty && rows.allSatisfy({ if case .list = $0 { true } else { false } }):
            let cells = rows.map { row -> [String] in
                if case .list(let items) = row { return items.map(LessonEvaluation.inlineText) }
                return [LessonEvaluation.inlineText(row)]
            }
            return .custom(TableBlock(header: nil, rows: cells), position: position)
        default:
            break
        }
        return .paragraph([.value(LessonEvaluation.inlineText(value))], position: position)
    }
}

/// Pads `text` to `width` display columns, on the left for numbers.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let gap = max(0, width - displayWidth(text))
    return right ? String(repeating: " ", count: gap) + text : text + String(repeating: " ", count: gap)
}

/// A run's dimension flow: one row per step with its shape, its shape in symbols and how it is computed.
struct FlowBlock: TerminalBlock {
    let flow: FlowValue

    func lines(width: Int, style: TerminalStyle) -> [String] {
        let rows = flow.steps.map { [sanitize($0.name), Value.shape($0.shape).description, sanitize($0.symbols), sanitize($0.operation)] }
        let header = ["step", "shape", "in symbols", "computed as"]
        let widths = (0..<4).map { column in ([header] + rows).map { displayWidth($0[column]) }.max() ?? 0 }
        var shown = 4
        while shown > 2, (0..<shown).map({ widths[$0] }).reduce(0, +) + 2 * (shown - 1) + 2 > width { shown -= 1 }
        func line(_ cells: [String], styled: (Int, String) -> String) -> String {
            let parts = (0..<shown).map { column in
                styled(column, column == shown - 1 ? cells[column] : pad(cells[column], widths[column]))
            }
            return ("  " + parts.joined(separator: "  ")).replacingTrailingSpaces()
        }
        var result = wrap(sanitize(flow.title), width: width).map(style.bold)
        result += wrap(sanitize(flow.legend), width: max(10, width - 2)).map { style.dim("  " + $0) }
        result.append(line(header) { _, text in style.dim(text) })
        for row in rows {
            result.append(line(row) { column, text in
                switch column {
                case 0: return style.bold(text)
                case 1: return style.foreground(.cyan, text)
                case 3: return style.dim(text)
                default: return text
                }
            })
        }
        if shown < header.count {
            let hidden = header[shown...].map { "“\($0)”" }.joined(separator: " and ")
            result += wrap("(\(hidden) left out at this width; `mhalearn shapes` shows every column)", width: max(10, width - 2))
                .map { style.dim("  " + $0) }
        }
        return result
    }
}

/// A heatmap: shaded cells with their numbers, and a legend. Colour off: shade characters.
struct HeatmapBlock: TerminalBlock {
    let heatmap: HeatmapValue

    static let shades: [Character] = ["·", "░", "▒", "▓", "█"]
    static let thresholds: [Double] = [0.1, 0.25, 0.5, 0.75]
    static let backgrounds: [TerminalColor?] = [nil, .palette(153), .palette(111), .palette(33), .palette(19)]
    static let foregrounds: [TerminalColor?] = [nil, .palette(16), .palette(16), .palette(231), .palette(231)]

    /// Values between 0 and 1 are shaded as they are; anything else relative to the largest magnitude.
    var scale: Double {
        let all = heatmap.values.joined()
        let inUnit = all.allSatisfy { $0 >= 0 && $0 <= 1 }
        return inUnit ? 1 : max(all.map(abs).max() ?? 1, .leastNonzeroMagnitude)
    }

    static func level(_ value: Double) -> Int {
        thresholds.firstIndex { value < $0 } ?? thresholds.count
    }

    static func number(_ value: Double) -> String {
        abs(value) < 10 ? String(format: "%.2f", value) : Value.format(value, significantDigits: 3)
    }

    func lines(width: Int, style: TerminalStyle) -> [String] {
        let labels = heatmap.rowLabels.map(sanitize)
        let columns = heatmap.columnLabels.map(sanitize)
        let numbers = heatmap.values.map { $0.map(HeatmapBlock.number) }
        let cellWidth = max(6, (numbers.joined().map(displayWidth).max() ?? 4) + 2, columns.map(displayWidth).max() ?? 0)
        var labelWidth = max(labels.map(displayWidth).max() ?? 0, 4)
        let needed = labelWidth + 2 + columns.count * (cellWidth + 1)
        if needed > width { labelWidth = max(4, labelWidth - (needed - width)) }
        let scale = self.scale

        var result = wrap(sanitize(heatmap.title), width: width).map(style.bold)
        let head = pad("", labelWidth) + "  " + columns.map { pad($0, cellWidth) }.joined(separator: " ")
        result.append(style.dim(head).replacingTrailingSpaces())
        for (row, label) in labels.enumerated() {
            var line = pad(String(label.prefix(labelWidth)), labelWidth) + "  "
            let cells = heatmap.values[row].enumerated().map { column, value -> String in
                let level = HeatmapBlock.level(abs(value) / scale)
                let text = numbers[row][column]
                if style.colorEnabled {
                    let cell = pad(" " + text, cellWidth)
                    guard let background = HeatmapBlock.backgrounds[level] else { return style.dim(cell) }
                    return style.apply(TextAttributes(foreground: HeatmapBlock.foregrounds[level], background: background), to: cell)
                }
                return pad("\(HeatmapBlock.shades[level]) " + text, cellWidth)
            }
            line += cells.joined(separator: " ")
            result.append(line.replacingTrailingSpaces())
        }
        result += legend(style: style, scale: scale, width: width)
        if let note = sumNote { result += wrap(note, width: width).map(style.dim) }
        return result
    }

    /// The sentence under a heatmap whose columns (or rows) each sum to 1, if they do.
    var sumNote: String? {
        if heatmap.columnLabels.count > 0, columnsSumToOne {
            return "Each column sums to 1: a head shares out one unit of attention (the rounded numbers shown may add up to a little less or more)."
        } else if rowsSumToOne {
            return "Each row sums to 1: every query token shares out one unit of attention (the rounded numbers shown may add up to a little less or more)."
        }
        return nil
    }

    private var rowsSumToOne: Bool {
        !heatmap.values.isEmpty && heatmap.values.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-3 }
    }

    private var columnsSumToOne: Bool {
        guard let first = heatmap.values.first, !first.isEmpty else { return false }
        return (0..<first.count).allSatisfy { column in
            abs(heatmap.values.reduce(0) { $0 + ($1.count > column ? $1[column] : 0) } - 1) < 1e-3
        }
    }

    private func legend(style: TerminalStyle, scale: Double, width: Int) -> [String] {
        let bounds = HeatmapBlock.thresholds.map { Value.format($0 * scale, significantDigits: 3) }
        let words = ["under \(bounds[0])", "under \(bounds[1])", "under \(bounds[2])", "under \(bounds[3])", "\(bounds[3]) or more"]
        let keys = (0..<5).map { level -> String in
            if style.colorEnabled, let background = HeatmapBlock.backgrounds[level] {
                return style.background(background, "  ") + " " + words[level]
            }
            if style.colorEnabled { return style.dim("··") + " " + words[level] }
            return "\(HeatmapBlock.shades[level]) \(words[level])"
        }
        var lines: [String] = []
        var current = "Key:"
        for key in keys {
            if displayWidth(current) + 2 + displayWidth(key) > width, current != "Key:" {
                lines.append(current)
                current = "    " + key
            } else {
                current += (current == "Key:" ? " " : "  ") + key
            }
        }
        lines.append(current)
        return lines
    }
}

/// A small table: a bold header, a rule, aligned columns (numbers to the right).
struct TableBlock: TerminalBlock {
    let header: [String]?
    let rows: [[String]]

    func lines(width: Int, style: TerminalStyle) -> [String] {
        let all = ((header.map { [$0] } ?? []) + rows).map { $0.map(sanitize) }
        let count = all.map(\.count).max() ?? 0
        let widths = (0..<count).map { column in all.map { column < $0.count ? displayWidth($0[column]) : 0 }.max() ?? 0 }
        let numeric = (0..<count).map { column in
            rows.allSatisfy { column >= $0.count || Double($0[column].replacingOccurrences(of: ",", with: "")) != nil }
        }
        func line(_ cells: [String]) -> String {
            (0..<count).map { column in
                pad(column < cells.count ? cells[column] : "", widths[column], right: numeric[column])
            }.joined(separator: "   ").replacingTrailingSpaces()
        }
        var result: [String] = []
        if let header {
            result.append(style.bold(line(header.map(sanitize))))
            result.append(style.dim(String(repeating: "─", count: min(width, widths.reduce(0, +) + 3 * max(0, count - 1)))))
        }
        result += rows.map { line($0.map(sanitize)) }
        return result
    }
}
