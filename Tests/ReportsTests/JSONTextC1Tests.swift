import AttentionCore
import MarkdownTerminal
import Reports
import Testing

@Test("JSON text writes DEL and C1 controls (U+009B, a one-character CSI) as \\u escapes")
func jsonEscapesC1() throws {
    #expect(try JSONText.encode(["k": "a\u{9B}b\u{7F}c\u{85}"], pretty: false) == #"{"k":"a\u009bb\u007fc\u0085"}"#)
    #expect(try JSONText.encode(["k": "é ✓"], pretty: false) == #"{"k":"é ✓"}"#)
}

@Test("the parameter table lines up its columns for MLA's seven projections: counts end in one column")
func mlaParameterTableAligned() throws {
    let config = AttentionConfig(dModel: 512, heads: 8, kvLoraRank: 16, ropeDim: 8)
    let run = try MultiHeadAttention(config: config, seed: 0).run(input: Tensor.seededInput(tokens: 4, width: 512, seed: 0, name: "input"))
    let text = ShapesReport(run: run, seed: 0).text(width: 80, style: TerminalStyle(color: false))
    let lines = text.components(separatedBy: "\n")
    let start = try #require(lines.firstIndex { $0.hasPrefix("Parameters") })
    let rows = lines[(start + 1)...].prefix { $0.hasPrefix("  W_") }
    #expect(rows.count == 7)
    #expect(Set(rows.map(\.count)).count == 1)
}
