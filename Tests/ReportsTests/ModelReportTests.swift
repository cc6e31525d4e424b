import AttentionCore
import Foundation
import MarkdownTerminal
import Testing
@testable import Reports

@Suite("ModelReport") struct ModelReportTests {
    /// d_model 16, 4 query heads in 2 groups of width 4, 3 layers.
    private func gqa(name: String = "tiny") throws -> ModelRun {
        try ModelConfiguration(name: name, modelType: "llama", dModel: 16, heads: 4, kvHeads: 2, headDim: 4, layers: 3).run()
    }

    /// A latent-attention mixture-of-experts model of toy size.
    private func mlaMoE() throws -> ModelRun {
        let latent = LatentAttention(kvLoraRank: 8, qLoraRank: 12, qkNopeHeadDim: 4, qkRopeHeadDim: 2, vHeadDim: 4)
        return try ModelConfiguration(name: "toy-moe", dModel: 16, heads: 4, kvHeads: 4, headDim: 4, layers: 2, latent: latent,
                                      experts: MixtureOfExperts(experts: 8, expertsPerToken: 2, sharedExperts: 1)).run()
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    private func value(_ label: String, in report: ModelReport) -> String? {
        report.rows.first { $0.label == label }?.value
    }

    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("GQA rows give the group, the even head split, the computations and the cache against plain MHA")
    func gqaRows() throws {
        let report = ModelReport(try gqa(), entry: nil)
        #expect(value("attention", in: report) == "GQA: grouped-query attention, each K/V head is shared by 2 query heads")
        #expect(value("head dim", in: report) == "4 = d_model / heads (16 / 4)")
        #expect(value("attention computations", in: report) == "12 per forward pass (3 layers × 4 heads)")
        #expect(value("KV cache per token", in: report) == "96 bytes (96 bytes) in bf16, all 3 layers")
        #expect(value("  under plain MHA", in: report) == "192 bytes (192 bytes): 2× more")
        #expect(value("latent", in: report) == nil)
        #expect(value("experts", in: report) == nil)
    }

    @Test("an MLA head gives queries and keys their rotary part too, and its values their own width into W_O")
    func mlaHeadDim() throws {
        let report = ModelReport(try mlaMoE(), entry: nil)
        // before: "4 (qk_nope_head_dim), …; 4 × 4 = 16 query values per token", leaving out the rotary 2
        #expect(value("head dim", in: report) == "queries and keys 6 per head (qk_nope_head_dim 4 + qk_rope_head_dim 2), 4 × 6 = 24 query values per token; values 4 per head (v_head_dim), 4 × 4 = 16 into W_O; all set in the config, not derived from d_model / heads")
    }

    @Test("DeepSeek-V2's query width is 128 heads of 192, and V2-Lite's 128 is not read as d_model / heads")
    func deepSeekRows() throws {
        let v2 = ModelReport(try ModelCatalog.configuration(named: "deepseek-v2").run(), entry: nil)
        #expect(value("head dim", in: v2)?.contains("128 × 192 = 24,576 query values per token") == true)
        #expect(value("head dim", in: v2)?.contains("128 × 128 = 16,384 into W_O") == true)
        let lite = ModelReport(try ModelCatalog.configuration(named: "deepseek-v2-lite").run(), entry: nil)
        #expect(value("head dim", in: lite)?.contains("= d_model / heads") == false)
    }

    @Test("Falcon 7B's note says 71 is prime, and Mistral 7B's names its 4,096-token sliding window and rolling cache")
    func catalogNotes() throws {
        let falcon = try ModelCatalog.lookup("falcon-7b"), mistral = try ModelCatalog.lookup("mistral-7b")
        let falconText = ModelReport(try falcon.configuration().run(), entry: falcon).text(width: 300)
        let mistralText = ModelReport(try mistral.configuration().run(), entry: mistral).text(width: 300)
        #expect(falconText.contains("71 is prime"))
        #expect(mistralText.contains("4,096 tokens") && mistralText.contains("rolling cache"))
    }

    @Test("Mistral 7B's report gives its sliding window; Mixtral's says it has none; encoders report no cache in use")
    func windowsAndEncoders() throws {
        let mistral = ModelReport(try ModelCatalog.configuration(named: "mistral-7b").run(), entry: nil)
        #expect(value("sliding window", in: mistral)?.hasPrefix("4096 positions") == true)
        let mixtral = ModelReport(try ModelCatalog.configuration(named: "mixtral-8x7b").run(), entry: nil)
        #expect(value("sliding window", in: mixtral)?.hasPrefix("none") == true)
        let llama = ModelReport(try ModelCatalog.configuration(named: "llama-2-7b").run(), entry: nil)
        #expect(value("sliding window", in: llama) == nil)
        for name in ["bert-base", "all-minilm-l6-v2"] {
            let encoder = ModelReport(try ModelCatalog.configuration(named: name).run(), entry: nil)
            #expect(value("KV cache", in: encoder)?.hasPrefix("none in use") == true)
            #expect(value("KV cache per token", in: encoder) == nil)
        }
        let t5 = ModelReport(try ModelCatalog.configuration(named: "t5-base").run(), entry: nil)
        #expect(value("KV cache per token", in: t5)?.contains("decoder's self-attention") == true)
        #expect(value("cross-attention", in: t5)?.contains("per encoder token") == true)
    }

    @Test("T5 counts encoder self-, decoder self- and cross-attention")
    func t5Computations() throws {
        let report = ModelReport(try ModelCatalog.configuration(named: "t5-base").run(), entry: nil)
        #expect(value("attention computations", in: report)?.hasPrefix("432 per forward pass: 144 in encoder self-attention") == true)
    }

    @Test("a head width set apart from d_model / heads is called out with the query width it gives")
    func explicitHeadDim() throws {
        let measured = try ModelConfiguration(name: "wide", dModel: 16, heads: 4, kvHeads: 4, headDim: 8, headDimIsExplicit: true, layers: 1).run()
        let report = ModelReport(measured, entry: nil)
        #expect(value("head dim", in: report) == "8 (set explicitly), not d_model / heads = 16 / 4 = 4; 4 × 8 = 32 query values per token")
        #expect(value("  under plain MHA", in: report) == "the same: this is plain MHA")
    }

    @Test("MLA and experts add the latent, query latent and experts rows, and their JSON fields")
    func latentAndExperts() throws {
        let report = ModelReport(try mlaMoE(), entry: nil)
        #expect(value("attention", in: report)?.hasPrefix("MLA: multi-head latent attention") == true)
        #expect(value("latent", in: report) == "kv_lora_rank 8 + rotary key qk_rope_head_dim 2 = 10 values cached per token per layer")
        #expect(value("query latent", in: report)?.hasPrefix("q_lora_rank 12: ") == true)
        #expect(value("experts", in: report)?.hasPrefix("8 per MoE layer, 2 chosen per token, plus 1 shared.") == true)
        let json = try object(try report.json())
        #expect(json["kind"] as? String == "MLA")
        #expect(json["kv_lora_rank"] as? Int == 8)
        #expect(json["q_lora_rank"] as? Int == 12)
        #expect(json["qk_rope_head_dim"] as? Int == 2)
        #expect(json["experts"] as? Int == 8)
        #expect(json["shared_experts"] as? Int == 1)
    }

    @Test("JSON of a plain model leaves out the latent and expert fields and counts the cache in the chosen dtype")
    func plainJSON() throws {
        let measured = try gqa()
        let text = try ModelReport(measured, entry: nil, file: "/models/tiny/config.json", dtype: .int8).json()
        #expect(text.hasSuffix("}\n"))
        let json = try object(text)
        #expect(json["name"] as? String == "tiny")
        #expect(json["kv_cache_dtype"] as? String == "int8")
        #expect(json["kv_cache_bytes_per_token"] as? Int == 48)
        #expect(json["mha_kv_cache_bytes_per_token"] as? Int == 96)
        #expect(json["group_size"] as? Int == 2)
        #expect(json["head_dim_equals_d_model_over_heads"] as? Bool == true)
        #expect(json["source"] as? String == "/models/tiny/config.json")
        #expect(text.contains("\"/models/tiny/config.json\""))
        for absent in ["kv_lora_rank", "experts", "cross_check", "decoder_layers"] {
            #expect(json[absent] == nil)
        }
    }

    @Test("the text aligns every value after the longest label and ends with what was measured and its source")
    func textLayout() throws {
        let text = ModelReport(try gqa(), entry: nil, file: "/models/tiny/config.json").text(width: 400)
        let rows = lines(text)
        #expect(rows[0] == "tiny")
        let column = "  attention computations  ".count
        #expect(rows.contains("  attention" + String(repeating: " ", count: column - "  attention".count) + "GQA: grouped-query attention, each K/V head is shared by 2 query heads"))
        #expect(rows.contains("  d_model" + String(repeating: " ", count: column - "  d_model".count) + "16"))
        #expect(text.contains("  measured: one layer of this exact shape"))
        #expect(text.contains("was built with seeded weights and run on 4 tokens"))
        #expect(rows.last == "  source: /models/tiny/config.json (model_type llama)")
    }

    @Test("a narrow width puts each value under its label, and every line fits", arguments: [20, 40, 80])
    func narrow(width: Int) throws {
        let text = ModelReport(try mlaMoE(), entry: nil).text(width: width)
        #expect(lines(text).allSatisfy { displayWidth($0) <= width })
        if width == 20 {
            #expect(text.contains("\n  attention\n    MLA:"))
        }
    }

    @Test("a configuration name with control characters is printed without them")
    func sanitizedTitle() throws {
        let text = ModelReport(try gqa(name: "evil\u{1B}]0;title\u{07}name"), entry: nil).text(width: 80)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{07}"))
    }

    @Test("a catalog model is titled with its name and id and cites its source and cross-check")
    func catalogEntry() throws {
        let entry = try #require(ModelCatalog.entry(named: "gpt-2-small"))
        let measured = try entry.configuration().run()
        let report = ModelReport(measured, entry: entry)
        let text = report.text(width: 2000)
        #expect(text.hasPrefix("\(entry.displayName) (\(entry.id))\n"))
        #expect(text.contains("  source: \(entry.source)\n"))
        #expect(text.contains("  checked against: \(entry.crossCheck)\n"))
        let json = try object(try report.json())
        #expect(json["name"] as? String == entry.id)
        #expect(json["cross_check"] as? String == entry.crossCheck)
        #expect(json["heads"] as? Int == 12)
    }

    @Test("the colour style bolds the title and labels; the default style adds no escape codes")
    func styles() throws {
        let report = ModelReport(try gqa(), entry: nil)
        #expect(report.text(width: 80, style: TerminalStyle(color: true)).hasPrefix(TerminalStyle(color: true).bold("tiny")))
        #expect(!report.text(width: 80).contains("\u{1B}"))
    }

    @Test("the catalog list shows every model with its source under it")
    func list() {
        let text = ModelReport.listText(width: 1000)
        let rows = lines(text)
        #expect(rows[0].hasPrefix("id "))
        for entry in ModelCatalog.entries {
            let row = rows.firstIndex { $0.hasPrefix(entry.id + " ") }
            #expect(row.map { rows[$0 + 1] } == "    source: " + entry.source)
        }
        #expect(text.hasSuffix("\n\(ModelCatalog.entries.count) models. `mhalearn model NAME` builds and runs one layer of a model's shape.\n"))
    }

    @Test("the catalog list fits the width", arguments: [20, 40, 80])
    func listFits(width: Int) {
        #expect(lines(ModelReport.listText(width: width)).allSatisfy { displayWidth($0) <= width })
    }

    @Test("the catalog list as JSON has one record per model, in catalog order, with its configuration")
    func listJSON() throws {
        let records = try #require(try JSONSerialization.jsonObject(with: Data(try ModelReport.listJSON().utf8)) as? [[String: Any]])
        #expect(records.compactMap { $0["id"] as? String } == ModelCatalog.entries.map(\.id))
        let configurations = try ModelCatalog.entries.map { try $0.configuration() }
        #expect(records.compactMap { $0["kv_heads"] as? Int } == configurations.map(\.kvHeads))
        #expect(records.compactMap { $0["head_dim"] as? Int } == configurations.map(\.headDim))
    }

    @Test("kind sentences name how the heads share K/V")
    func kindSentences() throws {
        let mqa = try ModelConfiguration(name: "m", dModel: 16, heads: 4, kvHeads: 1, headDim: 4, layers: 1).run()
        #expect(ModelReport.kindSentence(mqa) == "MQA: multi-query attention, all 4 query heads share one K/V head")
        let mha = try ModelConfiguration(name: "m", dModel: 16, heads: 4, kvHeads: 4, headDim: 4, layers: 1).run()
        #expect(ModelReport.kindSentence(mha) == "MHA: multi-head attention, every query head has its own K/V head")
    }

    @Test("ratios print with at most one decimal, dropping .0")
    func short() {
        #expect(ModelReport.short(2) == "2")
        #expect(ModelReport.short(56.875) == "56.9")
        #expect(ModelReport.short(7.96) == "8")
    }
}
