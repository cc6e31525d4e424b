import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("the key passes in any form; a listed mistake gets its own feedback; another gets a general reply")
func numberGrading() throws {
    let question = try Fixtures.question("dk-from-d-model", seed: 4)
    guard case .number(let key, _) = question.expected else { Issue.record("expected a number key"); return }
    let d = try #require(question.bindings["d_model"]?.integerValue), h = try #require(question.bindings["h"]?.integerValue)
    #expect(key == Double(d / h))
    #expect(Grader.grade("d_k = \(d)/\(h)", for: question).outcome == .correct)
    let fullWidth = Grader.grade("\(d)", for: question)
    #expect(fullWidth.outcome == .wrong && fullWidth.matchedWrong == 0)
    #expect(fullWidth.feedback == ["That is the model's full width; each head gets only d_model / h of it."])
    let times = Grader.grade("\(d * h)", for: question)
    #expect(times.matchedWrong == 1)
    let other = Grader.grade("\(d / h + 1)", for: question)
    #expect(other.outcome == .wrong && other.matchedWrong == nil && other.feedback == ["Not quite."])
    let garbage = Grader.grade("sixty four", for: question)
    #expect(garbage.outcome == .unreadable && !garbage.costsAttempt)
}

@Test("a tolerance accepts near answers and refuses far ones")
func toleranceGrading() throws {
    let question = try Fixtures.question("scale-factor", seed: 2)
    guard case .number(let key, let tolerance) = question.expected else { Issue.record("expected a number key"); return }
    #expect(tolerance == 0.001)
    #expect(Grader.grade(ValueText.decimal(key + 0.0009), for: question).outcome == .correct)
    #expect(Grader.grade(ValueText.decimal(key + 0.002), for: question).outcome == .wrong)
}

@Test("a shape in another order is wrong, with a note that the sizes are right")
func shapeGrading() throws {
    let question = try Fixtures.question("q-heads-shape", seed: 1)
    guard case .shape(let dims) = question.expected else { Issue.record("expected a shape key"); return }
    #expect(Grader.grade("(\(dims[0]), \(dims[1]), \(dims[2]))", for: question).outcome == .correct)
    let swapped = Grader.grade("[\(dims[1]), \(dims[0]), \(dims[2])]", for: question)
    #expect(swapped.outcome == .wrong)
    #expect(swapped.matchedWrong == 1)
    let reversed = Grader.grade("[\(dims[2]), \(dims[1]), \(dims[0])]", for: question)
    #expect(reversed.feedback == ["The right sizes, but not in the right order."])
    let flat = Grader.grade("\(dims[2])", for: question)
    #expect(flat.outcome == .unreadable)
}

@Test("a choice gives each option's own feedback")
func choiceGrading() throws {
    let question = try Fixtures.question("why-several-heads", seed: 3)
    guard case .choice(let key) = question.expected else { Issue.record("expected a choice key"); return }
    let right = Grader.grade(PresentedOption.letter(key), for: question)
    #expect(right.outcome == .correct)
    #expect(right.feedback.contains("Yes; separate projections let heads specialise."))
    let wrongIndex = (key + 1) % question.options.count
    let wrong = Grader.grade(PresentedOption.letter(wrongIndex), for: question)
    #expect(wrong.outcome == .wrong)
    #expect(wrong.feedback == [question.options[wrongIndex].feedback ?? ""])
}

@Test("multi gives partial credit, explains the score, and each wrong pick cancels a right one")
func multiGrading() throws {
    let question = try Fixtures.question("what-heads-share", seed: 5)
    guard case .multi(let keys) = question.expected else { Issue.record("expected a multi key"); return }
    let right = keys.sorted(), wrong = Set(question.options.indices).subtracting(keys).sorted()
    let letters = { (indices: [Int]) in indices.map(PresentedOption.letter).joined(separator: ", ") }
    #expect(Grader.grade(letters(right), for: question).outcome == .correct)
    let half = Grader.grade(letters([right[0]]), for: question)
    #expect(half.outcome == .partial && half.score == 0.5)
    #expect(half.feedback.first == "You chose 1 of the 2 right options: credit 1 of 2 = 50%.")
    let cancelled = Grader.grade(letters([right[0], wrong[0]]), for: question)
    #expect(cancelled.outcome == .wrong && cancelled.score == 0)
    #expect(cancelled.feedback.count == 2)
}

@Test("text accepts every listed form and synonym, and a listed wrong phrase gets its feedback")
func textGrading() throws {
    let question = try Fixtures.question("name-of-concat")
    for input in ["Concatenation", "concat", " the concatenation ", "CONCATENATE"] {
        #expect(Grader.grade(input, for: question).outcome == .correct)
    }
    let addition = Grader.grade("Addition", for: question)
    #expect(addition.matchedWrong == 0 && addition.feedback == ["The outputs are placed side by side, not summed."])
    #expect(Grader.grade("stacking", for: question).outcome == .wrong)
}
