import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("WorkedExample") struct WorkedExampleTests {
    private func weight(_ run: RunValue, head: Int, to word: String) throws -> Double {
        let run = try run.run()
        let it = try #require(WorkedExampleValue.words.firstIndex(of: "it"))
        let key = try #require(WorkedExampleValue.words.firstIndex(of: word))
        return Double(run.weights[head, it, key])
    }

    @Test("head 1 links it to animal and head 2 links it to tired, each with most of its weight")
    func twoHeads() throws {
        let example = try WorkedExampleValue()
        #expect(try weight(example.twoHeads, head: 0, to: "animal") > 0.5)
        #expect(try weight(example.twoHeads, head: 1, to: "tired") > 0.5)
        #expect(try weight(example.twoHeads, head: 0, to: "tired") < 0.1)
        #expect(try weight(example.twoHeads, head: 1, to: "animal") < 0.1)
    }

    @Test("one head of the same width cannot give both words more than half")
    func oneHead() throws {
        let example = try WorkedExampleValue()
        let animal = try weight(example.oneHead, head: 0, to: "animal")
        let tired = try weight(example.oneHead, head: 0, to: "tired")
        #expect(animal < 0.5 && tired < 0.5)
        #expect(animal > 0.2 && tired > 0.2)
        #expect(example.oneHead.config.headDim == example.twoHeads.config.heads * example.twoHeads.config.headDim)
    }

    @Test("the comparison puts head 1, head 2 and the wide head side by side for every word")
    func comparison() throws {
        let heatmap = try WorkedExampleValue().comparison(from: "it")
        #expect(heatmap.rowLabels == WorkedExampleValue.words)
        #expect(heatmap.columnLabels.count == 3)
        #expect(throws: FunctionError.self) { try WorkedExampleValue().comparison(from: "dog") }
    }

    @Test("worked_example() is reachable from expressions")
    func expression() throws {
        #expect(try Evaluator(live: [:]).evaluate("worked_example().two_heads.heads") == .integer(2))
        #expect(try Evaluator(live: [:]).evaluate("len(worked_example().words)") == .integer(12))
    }
}
