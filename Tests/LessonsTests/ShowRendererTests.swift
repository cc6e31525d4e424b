import MarkdownTerminal
import Testing
import LiveValues
import ExpressionLanguage
@testable import Lessons

@Suite("ShowRenderer") struct ShowRendererTests {
    private let position = SourcePosition(line: 1, column: 1)
    private let heatmap = HeatmapValue(title: "Weights", rowLabels: ["cat", "dog"], columnLabels: ["head 1", "head 2"],
                                       values: [[0.05, 0.8], [0.95, 0.2]])

    private func lines(_ value: Value, width: Int = 80, color: Bool = false) -> [String] {
        guard case .custom(let block, _) = ShowRenderer.block(for: value, position: position) else {
            return []
        }
        return block.lines(width: width, style: TerminalStyle(color: color))
    }

    @Test("without colour a heatmap uses shade characters and numbers, with no escape bytes")
    func heatmapPlain() {
        let text = lines(.object(heatmap))
        #expect(text.contains { $0.hasPrefix("cat") && $0.contains("· 0.05") && $0.contains("█ 0.80") })
        #expect(text.contains { $0.hasPrefix("dog") && $0.contains("█ 0.95") && $0.contains("░ 0.20") })
        #expect(text.contains { $0.hasPrefix("Key:") })
        #expect(text.contains { $0.contains("Each column sums to 1") })
        #expect(!text.joined().contains("\u{1B}"))
    }

    @Test("with colour a heatmap shades cell backgrounds and keeps the numbers")
    func heatmapColour() {
        let text = lines(.object(heatmap), color: true).joined(separator: "\n")
        #expect(text.contains("\u{1B}["))
        #expect(text.contains("48;5;19"))
        #expect(text.contains("0.95"))
    }

    @Test("values outside 0…1 are shaded relative to the largest")
    func heatmapScale() {
        let big = HeatmapValue(title: "t", rowLabels: ["r"], columnLabels: ["c1", "c2"], values: [[10, 100]])
        let row = lines(.object(big)).first { $0.hasPrefix("r") } ?? ""
        #expect(row.contains("░ 10 "))
        #expect(row.contains("█ 100"))
    }

    @Test("a flow drops its widest columns on a narrow terminal")
    func flowWidth() throws {
        let flow = try Evaluator(live: [:]).evaluate("mha(d_model: 16, heads: 2, tokens: 3).flow")
        let wide = lines(flow, width: 100)
        let narrow = lines(flow, width: 30)
        #expect(wide.contains { $0.contains("x·W_Q") })
        #expect(!narrow.contains { $0.contains("x·W_Q") })
        #expect(narrow.contains { $0.contains("q_heads") && $0.contains("[2, 3, 8]") })
    }

    @Test("a table right-aligns numbers under a header rule, five digits and more grouped as prose writes them")
    func table() {
        let table = TableValue(header: ["variant", "bytes"], rows: [[.string("MHA"), .integer(16384)], [.string("MQA"), .integer(512)]])
        let text = lines(.object(table))
        #expect(text == ["variant    bytes", "────────────────", "MHA       16,384", "MQA          512"])
    }

    @Test("a small matrix of a run, such as one head's weights, is shown as a heatmap with numbered rows")
    func tensorHeatmap() throws {
        let weights = try Evaluator(live: [:]).evaluate("mha(d_model: 8, heads: 2, tokens: 3).weights[1]")
        let text = lines(weights)
        #expect(text.first == "weights[1] [3, 3]")
        #expect(text.filter { $0.hasPrefix("0 ") || $0.hasPrefix("1 ") || $0.hasPrefix("2 ") }.count == 3)
        #expect(text.contains { $0.contains("Each row sums to 1") })
    }

    @Test("a list of lists is shown as a table and a plain value as a line of text")
    func fallbacks() {
        #expect(lines(.list([.list([.integer(1), .integer(2)])])) == ["1   2"])
        guard case .paragraph(let inlines, _) = ShowRenderer.block(for: .shape([11, 64]), position: position) else {
            Issue.record("not a paragraph")
            return
        }
        #expect(inlines == [.value("[11, 64]")])
    }
}

@Suite("FlowBlock at narrow widths") struct FlowBlockNarrowTests {
    @Test("a flow too wide for the terminal says which columns it left out")
    func narrowFlowSaysWhatIsLeftOut() throws {
        let flow = try Evaluator(live: [:]).evaluate("mha(d_model: 16, heads: 2, tokens: 3).flow")
        guard case .custom(let block, _) = ShowRenderer.block(for: flow, position: .init(line: 1, column: 1)) else {
            Issue.record("the flow did not render as a block")
            return
        }
        let narrow = block.lines(width: 40, style: .init(color: false))
        #expect(narrow.joined(separator: " ").contains("left out at this width"))
        #expect(narrow.allSatisfy { displayWidth($0) <= 40 })
        let wide = block.lines(width: 200, style: .init(color: false))
        #expect(!wide.joined(separator: " ").contains("left out"))
    }
}
