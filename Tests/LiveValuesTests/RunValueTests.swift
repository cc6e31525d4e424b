import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("RunValue") struct RunValueTests {
    private var example: [String: Value] {
        get throws { ["ex": try Evaluator(live: [:]).evaluate("worked_example()")] }
    }

    private func eval(_ source: String, _ bindings: [String: Value]) throws -> Value {
        try Evaluator(live: bindings).evaluate(source)
    }

    @Test("weights_from gives one heatmap column per head, each summing to 1")
    func weightsFrom() throws {
        guard case .object(let heatmap as HeatmapValue) = try eval("ex.two_heads.weights_from(\"it\")", try example) else {
            Issue.record("not a heatmap")
            return
        }
        #expect(heatmap.columnLabels == ["head 1", "head 2"])
        #expect(heatmap.rowLabels == WorkedExampleValue.words)
        for column in 0..<2 {
            let sum = heatmap.values.reduce(0) { $0 + $1[column] }
            #expect(abs(sum - 1) < 1e-5)
        }
    }

    @Test("weight reads one entry by head (from 1), query and key, by word or position")
    func weight() throws {
        let byWord = try eval("ex.two_heads.weight(head: 2, from: \"it\", to: \"tired\")", try example)
        let byPosition = try eval("ex.two_heads.weight(head: 2, from: 7, to: 10)", try example)
        let byIndex = try eval("ex.two_heads.weights[1][7][10]", try example)
        #expect(byWord == byPosition)
        #expect(byWord == byIndex)
    }

    @Test("unknown words, heads and positions are explained")
    func weightErrors() throws {
        let example = try example
        for source in ["ex.two_heads.weight(head: 3, from: \"it\", to: \"tired\")",
                       "ex.two_heads.weight(from: \"dog\", to: \"tired\")",
                       "ex.two_heads.weight(from: 99, to: 0)",
                       "mha(d_model: 8, heads: 2).weight(from: \"it\", to: 0)"] {
            #expect(throws: ExpressionError.self, "\(source)") { try eval(source, example) }
        }
    }

    @Test("a run has a flow whose steps are the core's trace")
    func flow() throws {
        let steps = try eval("mha(d_model: 16, heads: 2, tokens: 3).flow.steps", [:])
        guard case .list(let names) = steps else {
            Issue.record("steps is not a list")
            return
        }
        #expect(names.first == .string("input"))
        #expect(names.last == .string("output"))
        #expect(names.contains(.string("q_heads")))
    }

    @Test("a misspelt member suggests the right one")
    func misspelt() {
        do {
            _ = try eval("mha(d_model: 16, heads: 2).hedas", [:])
            Issue.record("expected an error")
        } catch let error as ExpressionError {
            #expect(error.message.contains("did you mean `heads`"))
            #expect(error.column == 28)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("params counts one layer and params_total counts every layer")
    func paramsPerLayerAndTotal() throws {
        // One layer at d_model 768: four 768×768 matrices plus four biases of 768.
        let perLayer = 4 * (768 * 768 + 768)
        #expect(try eval("mha(d_model: 768, heads: 12, layers: 3).params", [:]) == .integer(perLayer))
        #expect(try eval("mha(d_model: 768, heads: 12, layers: 3).params_total", [:]) == .integer(3 * perLayer))
    }
}
