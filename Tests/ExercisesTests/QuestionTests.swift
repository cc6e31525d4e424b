import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("prompt spans are replaced by values computed from the drawn parameters")
func promptSubstitution() throws {
    let question = try Fixtures.question("dk-from-d-model", seed: 11)
    let d = try #require(question.bindings["d_model"]?.integerValue), h = try #require(question.bindings["h"]?.integerValue)
    #expect(question.prompt == "A layer has d_model = \(d) and \(h) heads.\nWhat is d_k, the width of each head?\n")
    #expect(question.explanation.contains("d_k = \(d / h)."))
}

@Test("options are shuffled by the seed: the same seed gives the same order, seeds differ")
func optionOrder() throws {
    let orders = try (UInt64(0)..<12).map { seed in try Fixtures.question("why-several-heads", seed: seed).options.map(\.originalIndex) }
    #expect(try Fixtures.question("why-several-heads", seed: 5).options.map(\.originalIndex) == orders[5])
    #expect(Set(orders.map { $0.map(String.init).joined() }).count > 1)
    for order in orders { #expect(order.sorted() == [0, 1, 2]) }
}

@Test("a failing span is reported at its own line and column")
func spanErrorLocation() throws {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: span
        kind: number
        given:
          h: [4]
        prompt: |
          There are `= h` heads
          and `= 64 / hh` more.
        answer: h
        explain: E.
    """)
    let exercise = try #require(result.file.exercises.first)
    let space = try VariantSpace.build(for: exercise).get()
    guard case .failure(let problems) = Question.make(exercise, space: space, seed: 0) else {
        Issue.record("the span should fail")
        return
    }
    #expect(problems.diagnostics.map { "\($0.location.line):\($0.location.column)" } == ["9:19"])
}

@Test("the answer is described for the learner in the form they would type it")
func answerText() throws {
    #expect(try Fixtures.question("q-heads-shape", seed: 0).answerText.hasPrefix("["))
    let multi = try Fixtures.question("what-heads-share", seed: 0)
    #expect(multi.answerText.split(separator: ",").count == 2)
    #expect(try Fixtures.question("name-of-concat").answerText == "concatenation")
    #expect(try Fixtures.question("scale-factor").toleranceNote == "Answers within ± 0.001 count as correct.")
}

@Test("a variant drawn with remembered values is the variant drawn afresh")
func memoizedVariantsMatch() throws {
    for exercise in try Fixtures.valid().values {
        let space = try VariantSpace.build(for: exercise).get()
        let memo = EvaluationMemo()
        for seed in UInt64(0)..<20 {
            let fresh = try Question.make(exercise, space: space, seed: seed).get()
            let remembered = try Question.make(exercise, space: space, seed: seed, memo: memo).get()
            #expect(remembered.prompt == fresh.prompt)
            #expect(remembered.answerText == fresh.answerText)
            #expect(remembered.options.map(\.text) == fresh.options.map(\.text))
            #expect(remembered.wrong.map(\.feedback) == fresh.wrong.map(\.feedback))
            #expect(remembered.hints == fresh.hints)
            #expect(remembered.explanation == fresh.explanation)
        }
    }
}
