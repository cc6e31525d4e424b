import Testing
@testable import LessonEngine

@Suite("AttentionFunctions") struct AttentionFunctionsTests {
    @Test("scratch") func scratch() throws {
        let e = Evaluator()
        for s in ["mha(d_model: 768, heads: 12, tokens: 11).flow", "mha(d_model: 768, heads: 12, tokens: 11).q_heads.shape",
                  "worked_example().comparison.values", "mha(d_model: 8192, heads: 64, kv_heads: 8, layers: 80).kv_cache_bytes()",
                  "mla(d_model: 7168, heads: 128, kv_lora_rank: 512, rope_dim: 64, head_dim: 128, layers: 61).kv_cache_bytes()"] {
            print(s, "=>", try e.evaluate(s))
        }
    }
}
