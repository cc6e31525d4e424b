import AttentionCore
import ExpressionLanguage
import Testing
@testable import LiveValues

@Suite("decode_cost") struct CostFunctionsTests {
    @Test("decode_cost places each variant on this machine's roofline: MHA and GQA memory-bound, MQA and MLA more FLOPs per byte")
    func regimes() throws {
        let lab = try Evaluator(live: [:]).evaluate("decode_cost(model: \"llama-2-7b\", context: 256)")
        let bindings = ["lab": lab]
        func eval(_ source: String) throws -> Value { try Evaluator(live: bindings).evaluate(source) }
        #expect(try eval("lab.mha.regime") == .string("memory-bound"))
        #expect(try eval("lab.mha.memory_bound") == .boolean(true))
        #expect(try eval("lab.gqa.regime") == .string("memory-bound"))
        #expect(try eval("lab.mqa.flops_per_byte > lab.gqa.flops_per_byte and lab.gqa.flops_per_byte > lab.mha.flops_per_byte") == .boolean(true))
        #expect(try eval("lab.mha.flops_per_byte == 0.5") == .boolean(true))
        #expect(try eval("lab.mla.flops > 0 and lab.balance > 0") == .boolean(true))
        #expect(try eval("lab.own.kind") == .string("MHA"))
        #expect(try eval("len(lab.rows)") == .integer(4))
        guard case .object(let value as DecodeCostValue) = lab else { Issue.record("not a decode cost"); return }
        #expect(value.table.header.contains("regime") && value.table.header.contains("of roofline"))
    }
}
