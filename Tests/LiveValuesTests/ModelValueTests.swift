import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("ModelValue") struct ModelValueTests {
    private func eval(_ source: String) throws -> Value {
        try Evaluator(live: [:]).evaluate(source)
    }

    @Test("a GQA model's KV cache counts its K/V heads, and the MHA figure all its heads")
    func llama() throws {
        let heads = try eval("model(\"llama-2-70b\").heads").integerValue ?? 0
        let kv = try eval("model(\"llama-2-70b\").kv_heads").integerValue ?? 0
        let dk = try eval("model(\"llama-2-70b\").head_dim").integerValue ?? 0
        let layers = try eval("model(\"llama-2-70b\").layers").integerValue ?? 0
        #expect(try eval("model(\"llama-2-70b\").kv_cache_bytes()") == .integer(2 * kv * dk * 2 * layers))
        #expect(try eval("model(\"llama-2-70b\").mha_kv_cache_bytes()") == .integer(2 * heads * dk * 2 * layers))
        #expect(try eval("model(\"llama-2-70b\").kind") == .string("GQA"))
    }

    @Test("an MLA model caches the latent and the rotary key")
    func deepseek() throws {
        let rank = try eval("model(\"deepseek-v3\").kv_lora_rank").integerValue ?? 0
        let rope = try eval("model(\"deepseek-v3\").rope_dim").integerValue ?? 0
        #expect(rank > 0)
        #expect(try eval("model(\"deepseek-v3\").kv_cache_bytes_per_layer()") == .integer((rank + rope) * 2))
    }

    @Test("a misspelt model name suggests the catalog id at the argument")
    func unknown() {
        do {
            _ = try eval("model(\"llama-2-7\")")
            Issue.record("expected an error")
        } catch let error as ExpressionError {
            #expect(error.column == 7)
            #expect(error.message.contains("llama-2-7b"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
