import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("ShowValues") struct ShowValuesTests {
    private let heatmap = HeatmapValue(title: "w", rowLabels: ["a", "b"], columnLabels: ["h1"], values: [[0.25], [0.75]])

    @Test("a heatmap exposes its values, labels and extremes")
    func heatmapMembers() throws {
        let bindings = ["m": Value.object(heatmap)]
        #expect(try Evaluator(live: bindings).evaluate("m.max") == .decimal(0.75))
        #expect(try Evaluator(live: bindings).evaluate("m[1][0]") == .decimal(0.75))
        #expect(try Evaluator(live: bindings).evaluate("m.rows") == .list([.string("a"), .string("b")]))
    }

    @Test("a flow lists its steps and shapes in run order")
    func flowMembers() throws {
        let shapes = try Evaluator(live: [:]).evaluate("mha(d_model: 8, heads: 2, tokens: 3).flow.shapes")
        guard case .list(let items) = shapes else {
            Issue.record("not a list")
            return
        }
        #expect(items.first == .shape([3, 8]))
        #expect(items.last == .shape([3, 8]))
    }

    @Test("tables print their rows in one line and compare by content")
    func tables() {
        let table = TableValue(header: ["a"], rows: [[.integer(1)]])
        #expect(table.summary == "a; 1")
        #expect(table.isEqual(to: TableValue(header: ["a"], rows: [[.integer(1)]])))
        #expect(!table.isEqual(to: heatmap))
    }
}
