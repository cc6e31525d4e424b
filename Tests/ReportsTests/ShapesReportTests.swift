import AttentionCore
import Foundation
import MarkdownTerminal
import Testing
@testable import Reports

@Suite("ShapesReport") struct ShapesReportTests {
    private let plain = TerminalStyle(color: false)

    /// d_model 8, 2 query heads sharing 1 K/V head of width 4, 3 tokens, 2 layers.
    private func mqa() throws -> AttentionRun {
        try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 8, heads: 2, kvHeads: 1, layers: 2), tokens: 3, seed: 7)
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private func strippingStyles(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }

    @Test("the heading names the kind, the tokens and the seed; the facts line gives d_k and the group size")
    func heading() throws {
        let text = ShapesReport(run: try mqa(), seed: 7).text(width: 80, style: plain)
        let rows = lines(text)
        #expect(rows[0] == "One MQA layer, run on 3 tokens (seed 7)")
        #expect(rows[1] == "  d_model = 8 · h = 2 · kv_heads = 1 · d_k = 4 · group size g = h / kv = 2")
    }

    @Test("every traced step is listed once under Dimension flow with the shape the run produced")
    func flow() throws {
        let run = try mqa()
        let rows = lines(ShapesReport(run: run, seed: 7).text(width: 120, style: plain))
        guard let start = rows.firstIndex(of: "Dimension flow") else {
            Issue.record("no Dimension flow heading")
            return
        }
        let flow = Array(rows[(start + 1)...].prefix { !$0.isEmpty })
        #expect(flow.count == run.trace.steps.count)
        for (line, step) in zip(flow, run.trace.steps) {
            #expect(line.hasPrefix("  " + step.name + " "))
            #expect(line.contains(ShapesReport.shapeText(step.shape)))
            #expect(line.hasSuffix(step.operation))
        }
        #expect(flow.contains { $0.hasPrefix("  scores ") && $0.contains("[2, 3, 3]") })
        #expect(flow.contains { $0.hasPrefix("  k_heads ") && $0.contains("[1, 3, 4]") })
    }

    @Test("parameters, per-layer and whole-model totals, worked by hand for a tiny layer")
    func parameters() throws {
        let text = ShapesReport(run: try mqa(), seed: 7).text(width: 80, style: plain)
        #expect(text.contains("  W_Q  [8, 8] + [8]  72\n"))
        #expect(text.contains("  W_K  [8, 4] + [4]  36\n"))
        #expect(text.contains("  per layer 216, whole model (2 layers) 432\n"))
        #expect(text.contains("Attention computations: layers × heads = 2 × 2 = 4\n"))
    }

    @Test("the KV cache caches 2 · kv · d_k numbers per layer and gives bytes for every number format")
    func kvCache() throws {
        let text = ShapesReport(run: try mqa(), seed: 7).text(width: 80, style: plain)
        #expect(text.contains("KV cache per token: 2 · kv · d_k = 2 · 1 · 4 = 8 numbers per layer\n"))
        #expect(text.contains("  fp32  32 bytes per layer, 64 bytes for 2 layers (64 bytes)\n"))
        #expect(text.contains("  int8  8 bytes per layer, 16 bytes for 2 layers (16 bytes)\n"))
    }

    @Test("large counts are grouped in threes")
    func grouping() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 768, heads: 12), tokens: 2, seed: 0)
        #expect(ShapesReport(run: run, seed: 0).text(width: 80, style: plain).contains("  per layer 2,362,368\n"))
    }

    @Test("MLA shows the latent in the facts and caches r + d_r numbers per token per layer")
    func latent() throws {
        let config = AttentionConfig(dModel: 16, heads: 4, kvLoraRank: 6, ropeDim: 2)
        let run = try MultiHeadAttention.seededRun(config: config, tokens: 2, seed: 1)
        let text = ShapesReport(run: run, seed: 1).text(width: 200, style: plain)
        #expect(text.hasPrefix("One MLA layer"))
        #expect(text.contains("kv_lora_rank r = 6 · rope_dim d_r = 2"))
        #expect(text.contains("KV cache per token: r + d_r = 6 + 2 = 8 numbers per layer\n"))
    }

    @Test("a cross-attention heading runs from query tokens to source tokens, in the singular for one")
    func cross() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 8, heads: 2), tokens: 1, sourceTokens: 3, seed: 0)
        let text = ShapesReport(run: run, seed: 0).text(width: 120, style: plain)
        #expect(text.hasPrefix("One MHA layer, run as cross-attention from 1 query token to 3 source tokens (seed 0)\n"))
    }

    @Test("every line fits the width, and narrow widths move operations below their step", arguments: [20, 40, 80])
    func fitsWidth(width: Int) throws {
        let config = AttentionConfig(dModel: 64, heads: 4, kvLoraRank: 16, ropeDim: 8, layers: 3)
        let run = try MultiHeadAttention.seededRun(config: config, tokens: 2, seed: 0)
        let text = ShapesReport(run: run, seed: 0).text(width: width, style: plain)
        #expect(lines(text).allSatisfy { displayWidth($0) <= width })
        let wide = ShapesReport(run: run, seed: 0).text(width: 200, style: plain)
        #expect(lines(text).count > lines(wide).count)
    }

    @Test("a colour style adds ANSI codes and nothing else; the plain style adds none")
    func styles() throws {
        let report = ShapesReport(run: try mqa(), seed: 7)
        let coloured = report.text(width: 80, style: TerminalStyle(color: true))
        let plainText = report.text(width: 80, style: plain)
        #expect(coloured.contains("\u{1B}["))
        #expect(!plainText.contains("\u{1B}"))
        #expect(strippingStyles(coloured) == plainText)
    }

    @Test("JSON carries the configuration, the counts and the traced steps, keys sorted")
    func json() throws {
        let run = try mqa()
        let text = try ShapesReport(run: run, seed: 7).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "MQA")
        #expect(object["d_model"] as? Int == 8)
        #expect(object["kv_heads"] as? Int == 1)
        #expect(object["d_k"] as? Int == 4)
        #expect(object["group_size"] as? Int == 2)
        #expect(object["params_per_layer"] as? Int == 216)
        #expect(object["params"] as? Int == 432)
        #expect(object["causal"] as? Bool == false)
        #expect((object["kv_cache_bytes_per_token_by_dtype"] as? [String: Int])?["fp32"] == 64)
        #expect((object["kv_cache_bytes_per_token_per_layer"] as? [String: Int])?["bf16"] == 16)
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["name"] as? String } == run.trace.steps.map(\.name))
        #expect(steps.compactMap { $0["shape"] as? [Int] } == run.trace.steps.map(\.shape))
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
        #expect(keys == keys.sorted())
        #expect(!text.hasSuffix("\n"))
    }

    @Test("a shape prints as a bracketed, comma-separated list")
    func shapeText() {
        #expect(ShapesReport.shapeText([12, 8, 64]) == "[12, 8, 64]")
        #expect(ShapesReport.shapeText([]) == "[]")
    }
}
