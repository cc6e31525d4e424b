import Testing
@testable import LessonEngine

@Suite("AttentionFunctions") struct AttentionFunctionsTests {
    @Test("scratch") func scratch() throws {
        let e = Evaluator()
        for s in ["model(\"llama-2-70b\").kv_cache_bytes()", "model(\"llama-2-70b\").mha_kv_cache_bytes()", "model(\"deepseek-v3\").kv_cache_bytes()", "model(\"deepseek-v3\")", "model(\"gpt-2-small\").attention_computations"] {
            print(s, "=>", try e.evaluate(s))
        }
        do { _ = try e.evaluate("model(\"llama-2-7\")") } catch { print("=>", error) }
    }
}
