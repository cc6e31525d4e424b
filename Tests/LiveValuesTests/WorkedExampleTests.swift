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

    @Test("the two-head layer passes both features of what it found to the output; the wide head passes a blend of each")
    func outputVectors() throws {
        let example = try WorkedExampleValue()
        let it = try #require(WorkedExampleValue.words.firstIndex(of: "it"))
        let creature = try #require(WorkedExampleValue.featureNames.firstIndex(of: "creature"))
        let state = try #require(WorkedExampleValue.featureNames.firstIndex(of: "state"))
        let two = try example.twoHeads.run().output, one = try example.oneHead.run().output
        // With identity W_V the two-head layer passed creature ≈ 0.81 and state ≈ 0.02: this failed.
        #expect(two[it, creature] > 0.5 && two[it, state] > 0.5)
        #expect(one[it, creature] < 0.5 && one[it, state] < 0.5)
    }

    @Test("each head carries back only the feature it matched on")
    func perHeadValues() throws {
        let evaluator = Evaluator(live: ["ex": .object(try WorkedExampleValue())])
        #expect(try evaluator.evaluate("ex.two_heads.head_output_of(head: 1, token: \"it\")[0] > 0.5") == .boolean(true))
        #expect(try evaluator.evaluate("ex.two_heads.head_output_of(head: 1, token: \"it\")[1] == 0") == .boolean(true))
        #expect(try evaluator.evaluate("ex.two_heads.head_output_of(head: 2, token: \"it\")[0] > 0.5") == .boolean(true))
        #expect(try evaluator.evaluate("ex.feature(\"state\")") == .integer(2))
        #expect(throws: (any Error).self) { try evaluator.evaluate("ex.feature(\"colour\")") }
    }

    @Test("worked_example() is reachable from expressions")
    func expression() throws {
        #expect(try Evaluator(live: [:]).evaluate("worked_example().two_heads.heads") == .integer(2))
        #expect(try Evaluator(live: [:]).evaluate("len(worked_example().words)") == .integer(12))
    }
}
