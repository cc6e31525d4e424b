import AttentionCore
import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("AttentionFunctions") struct AttentionFunctionsTests {
    private func eval(_ source: String, _ bindings: [String: Value] = [:]) throws -> Value {
        try Evaluator(live: bindings).evaluate(source)
    }

    private func failure(_ source: String) -> ExpressionError? {
        do {
            _ = try eval(source)
            return nil
        } catch {
            return error as? ExpressionError
        }
    }

    @Test("mha reports its configuration and the per-head width d_model / heads")
    func configuration() throws {
        let layer = try eval("mha(d_model: 768, heads: 12, tokens: 11)")
        let bindings = ["layer": layer]
        #expect(try eval("layer.d_k", bindings) == .integer(64))
        #expect(try eval("layer.head_dim", bindings) == .integer(64))
        #expect(try eval("layer.kv_heads", bindings) == .integer(12))
        #expect(try eval("layer.group_size", bindings) == .integer(1))
        #expect(try eval("layer.kind", bindings) == .string("MHA"))
    }

    @Test("tensor shapes come from the run, in the documented layouts")
    func shapes() throws {
        let bindings = ["l": try eval("mha(d_model: 64, heads: 4, kv_heads: 2, tokens: 5)")]
        let expected: [(String, [Int])] = [
            ("input", [5, 64]), ("q", [5, 64]), ("k", [5, 32]), ("v", [5, 32]), ("q_heads", [4, 5, 16]),
            ("k_heads", [2, 5, 16]), ("scores", [4, 5, 5]), ("weights", [4, 5, 5]), ("head_outputs", [4, 5, 16]),
            ("concat", [5, 64]), ("output", [5, 64]),
        ]
        for (name, shape) in expected {
            #expect(try eval("l.\(name).shape", bindings) == .shape(shape), "\(name)")
        }
    }

    @Test("KV-cache bytes follow 2 × kv_heads × head_dim × bytes × layers")
    func kvCache() throws {
        let gqa = ["g": try eval("mha(d_model: 4096, heads: 32, kv_heads: 8, layers: 32)")]
        #expect(try eval("g.kv_cache_bytes_per_layer()", gqa) == .integer(2 * 8 * 128 * 2))
        #expect(try eval("g.kv_cache_bytes()", gqa) == .integer(2 * 8 * 128 * 2 * 32))
        #expect(try eval("g.kv_cache_bytes(dtype: \"fp32\")", gqa) == .integer(2 * 8 * 128 * 4 * 32))
        #expect(try eval("g.kv_cache_bytes(\"int8\")", gqa) == .integer(2 * 8 * 128 * 32))
    }

    @Test("MLA caches the latent plus the rotary key per token and layer")
    func latentCache() throws {
        let value = try eval("mla(d_model: 4096, heads: 32, kv_lora_rank: 512, rope_dim: 64, head_dim: 128).kv_cache_bytes_per_layer()")
        #expect(value == .integer((512 + 64) * 2))
        #expect(try eval("mla(d_model: 256, heads: 4, kv_lora_rank: 32, tokens: 3).latent.shape") == .shape([3, 32]))
    }

    @Test("cross-attention weights are tokens by source tokens")
    func crossAttention() throws {
        let bindings = ["c": try eval("cross(d_model: 64, heads: 4, tokens: 3, source_tokens: 7)")]
        #expect(try eval("c.weights.shape", bindings) == .shape([4, 3, 7]))
        #expect(try eval("c.output.shape", bindings) == .shape([3, 64]))
    }

    @Test("params counts weights plus biases of the four projections")
    func params() throws {
        #expect(try eval("mha(d_model: 768, heads: 12).params_q") == .integer(768 * 768 + 768))
        #expect(try eval("mha(d_model: 768, heads: 12).params") == .integer(4 * (768 * 768 + 768)))
        #expect(try eval("mha(d_model: 768, heads: 12, layers: 12).attention_computations") == .integer(144))
    }

    @Test("the same call twice returns the same run, computed once")
    func cache() throws {
        guard case .object(let first as RunValue) = try eval("mha(d_model: 32, heads: 2, tokens: 3, seed: 7)"),
              case .object(let second as RunValue) = try eval("mha(d_model: 32, heads: 2, tokens: 3, seed: 7)") else {
            Issue.record("mha did not return runs")
            return
        }
        #expect(first === second)
        guard case .object(let other as RunValue) = try eval("mha(d_model: 32, heads: 2, tokens: 3, seed: 8)") else { return }
        #expect(other !== first)
    }

    @Test("runs made from shared weights give exactly the numbers a fresh seeded run gives", arguments: [
        ("mha(d_model: 24, heads: 4, kv_heads: 2, tokens: 5, layers: 3, causal: true, seed: 11)",
         AttentionConfig(dModel: 24, heads: 4, kvHeads: 2, layers: 3), 5, nil as Int?, true),
        ("mha(d_model: 24, heads: 4, kv_heads: 2, tokens: 3, seed: 11)", AttentionConfig(dModel: 24, heads: 4, kvHeads: 2), 3, nil, false),
        ("cross(d_model: 16, heads: 2, tokens: 3, source_tokens: 6, seed: 11)", AttentionConfig(dModel: 16, heads: 2), 3, 6, false),
        ("mla(d_model: 32, heads: 4, kv_lora_rank: 8, rope_dim: 4, tokens: 4, seed: 11)",
         AttentionConfig(dModel: 32, heads: 4, kvLoraRank: 8, ropeDim: 4), 4, nil, false),
    ])
    func sharedWeightsMatchSeededRun(source: String, config: AttentionConfig, tokens: Int, sourceTokens: Int?, causal: Bool) throws {
        guard case .object(let value as RunValue) = try eval(source) else {
            Issue.record("\(source) did not return a run")
            return
        }
        let run = try value.run()
        let fresh = try MultiHeadAttention.seededRun(config: config, tokens: tokens, sourceTokens: sourceTokens, causal: causal, seed: 11)
        #expect(run.config == fresh.config)
        #expect(run.q == fresh.q)
        #expect(run.weights == fresh.weights)
        #expect(run.output == fresh.output)
    }

    @Test("the layer memo draws one layer's weights once per configuration and seed, whatever the layer count")
    func layerCache() throws {
        let cache = LayerCache()
        let one = try cache.layer(config: AttentionConfig(dModel: 16, heads: 2), seed: 3)
        let many = try cache.layer(config: AttentionConfig(dModel: 16, heads: 2, layers: 6), seed: 3)
        #expect(cache.count == 1)
        #expect(many.config.layers == 6)
        #expect(many.weights == one.weights)
        #expect(many.weights == AttentionWeights.seeded(config: AttentionConfig(dModel: 16, heads: 2, layers: 6), seed: 3))
        let other = try cache.layer(config: AttentionConfig(dModel: 16, heads: 2), seed: 4)
        #expect(cache.count == 2)
        #expect(other.weights != one.weights)
        #expect(throws: AttentionError.self) { try cache.layer(config: AttentionConfig(dModel: 16, heads: 3), seed: 3) }
    }

    @Test("a huge layer still answers its counts, and refuses to run with a message")
    func hugeLayer() throws {
        let bindings = ["big": try eval("mha(d_model: 65536, heads: 64, layers: 100)")]
        #expect(try eval("big.d_k", bindings) == .integer(1024))
        let error = try #require(throws: ExpressionError.self) { try eval("big.output.shape", bindings) }
        #expect(error.message.contains("can't run this layer here"))
        #expect(error.column == 5)
    }

    @Test("invalid configurations are errors at the argument at fault", arguments: [
        ("mha(d_model: 768, heads: 12, kv_heads: 5)", 30, "does not divide"),
        ("mha(d_model: 768, heads: 7)", 19, "not divisible"),
        ("mha(d_model: 0, heads: 1)", 5, "between 1"),
        ("mha(d_model: 8, heads: 2, tokens: 2.5)", 27, "whole number"),
        ("mha(d_model: 8)", 1, "needs `heads:`"),
        ("mla(d_model: 64, heads: 4, kv_lora_rank: 8, rope_dim: 3)", 45, "even"),
        ("mha(d_model: 8, heads: 2).kv_cache_bytes(dtype: \"fp8\")", 42, "unknown dtype"),
    ])
    func invalid(source: String, column: Int, fragment: String) {
        let error = failure(source)
        #expect(error?.column == column, "\(source): \(String(describing: error))")
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test("dtype_bytes gives the size of one stored number")
    func dtypeBytes() throws {
        #expect(try eval("dtype_bytes(\"bf16\")") == .integer(2))
        #expect(try eval("dtype_bytes(\"fp32\")") == .integer(4))
    }

    @Test("table checks that every row has one value per column")
    func table() throws {
        guard case .object(let table as TableValue) = try eval("table([\"a\", \"b\"], [1, 2], [3, 4])") else {
            Issue.record("not a table")
            return
        }
        #expect(table.rows.count == 2)
        #expect(failure("table([\"a\", \"b\"], [1])") != nil)
    }
}
