import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("Model semantics") struct ModelSemanticsTests {
    private func eval(_ source: String) throws -> Value {
        try Evaluator(live: [:]).evaluate(source)
    }

    @Test("Mistral 7B's cache stops at its 4,096-position window; Mixtral's, with no window, keeps growing")
    func slidingWindow() throws {
        let perPosition = try eval(#"model("mistral-7b").kv_cache_bytes()"#).integerValue ?? 0
        #expect(try eval(#"model("mistral-7b").sliding_window"#) == .integer(4096))
        #expect(try eval(#"model("mistral-7b").cache_tokens(8192)"#) == .integer(4096))
        #expect(try eval(#"model("mistral-7b").cache_tokens(1000)"#) == .integer(1000))
        #expect(try eval(#"model("mistral-7b").kv_cache_bytes(8192)"#) == .integer(perPosition * 4096))
        #expect(try eval(#"model("mistral-7b").kv_cache_bytes(8192) / 1048576"#) == .integer(512))
        #expect(try eval(#"model("mixtral-8x7b").sliding_window"#) == .integer(0))
        #expect(try eval(#"model("mixtral-8x7b").cache_tokens(32768)"#) == .integer(32768))
    }

    @Test("encoders cache nothing, all-MiniLM-L6-v2 included; T5 counts its decoder's self- and cross-attention caches apart")
    func encoders() throws {
        for name in ["bert-base", "all-minilm-l6-v2"] {
            #expect(try eval("model(\"\(name)\").architecture") == .string("encoder"))
            #expect(try eval("model(\"\(name)\").kv_cache_bytes(512)") == .integer(0))
        }
        let t5 = try eval(#"model("t5-base").kv_cache_bytes_per_layer()"#).integerValue ?? 0
        #expect(t5 == 2 * 12 * 64 * 2)
        #expect(try eval(#"model("t5-base").kv_cache_bytes(10)"#) == .integer(t5 * 12 * 10))
        #expect(try eval(#"model("t5-base").cross_kv_cache_bytes(100)"#) == .integer(t5 * 12 * 100))
        #expect(try eval(#"model("llama-2-7b").cross_kv_cache_bytes(100)"#) == .integer(0))
    }

    @Test("T5 does not scale its scores by 1/sqrt(d_k); the decoders do")
    func scaling() throws {
        #expect(try eval(#"model("t5-base").scales_scores"#) == .boolean(false))
        #expect(try eval(#"model("llama-2-7b").scales_scores"#) == .boolean(true))
    }

    @Test("MLA's head width is the query/key width: DeepSeek-V2-Lite's 192-wide heads are not d_model / h = 128")
    func latentWidth() throws {
        #expect(try eval(#"model("deepseek-v2-lite").qk_head_dim"#) == .integer(192))
        #expect(try eval(#"model("deepseek-v2-lite").head_dim_is_split"#) == .boolean(false))
        let rank = try eval(#"model("deepseek-v2-lite").kv_lora_rank"#).integerValue ?? 0
        let rope = try eval(#"model("deepseek-v2-lite").rope_dim"#).integerValue ?? 0
        // one rotary key per token, shared by all 16 heads: not 16 × rope
        #expect(try eval(#"model("deepseek-v2-lite").kv_cache_bytes_per_layer()"#) == .integer((rank + rope) * 2))
    }
}
