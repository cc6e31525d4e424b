import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("an unreadable answer costs no attempt; three wrong ones end the question with the answer and explanation")
func attemptsRunOut() throws {
    let question = try Fixtures.question("dk-from-d-model", seed: 2)
    var run = QuestionRun(question: question)
    let unreadable = run.respond(to: "lots")
    #expect(run.attemptsUsed == 0 && !unreadable.finished)
    #expect(unreadable.messages.contains { if case .format = $0 { true } else { false } })
    for _ in 0..<2 { #expect(!run.respond(to: "1").finished) }
    let last = run.respond(to: "1")
    #expect(last.finished && run.outcome == .wrong && run.score == 0)
    #expect(last.messages.contains(.answer("The answer: \(question.answerText)")))
    #expect(last.messages.contains(.explanation(question.explanation)))
}

@Test("hints come in tiers on request; a wrong answer offers the next one without showing it")
func hintTiers() throws {
    let question = try Fixtures.question("dk-from-d-model", seed: 2)
    var run = QuestionRun(question: question)
    #expect(run.respond(to: "?").messages == [.hint(question.hints[0], tier: 1, total: 2)])
    let wrong = run.respond(to: "1")
    #expect(!wrong.messages.contains { if case .hint = $0 { true } else { false } })
    #expect(wrong.messages.last == .note("2 attempts left. Type `?` for a hint or `skip` to move on."))
    #expect(run.hintsShown == 1)
    #expect(run.respond(to: "hint").messages == [.hint(question.hints[1], tier: 2, total: 2)])
    #expect(run.respond(to: "hint").messages.first?.text.contains("No hints are left (you have seen all 2)") == true)
    let again = run.respond(to: "1")
    #expect(again.messages.last == .note("1 attempt left. No hints are left; type `skip` to see the answer."))
}

@Test("a hint asked for where the question has none says so and does not say `No hints are left`")
func noHintsAtAll() throws {
    let loaded = ExerciseLoader.load(yaml: "format: 1\nexercises:\n  - id: bare\n    kind: number\n    prompt: Two?\n    answer: \"2\"\n    explain: Two.\n",
                                     path: "t.yaml", set: "t")
    let exercise = try #require(loaded.file.exercises.first)
    let question = try VariantSpace.build(for: exercise).flatMap { Question.make(exercise, space: $0, seed: 1) }.get()
    var run = QuestionRun(question: question)
    let asked = run.respond(to: "?")
    #expect(asked.messages == [.note("This question has no hints; it cost nothing. Answer, or type `skip` to see the answer.")])
    #expect(run.hintsShown == 0)
    #expect(run.respond(to: "3").messages.last == .note("2 attempts left. Type `skip` to see the answer."))
}

@Test("a listed mistake shows its feedback and no hint")
func listedMistakeNoHint() throws {
    let question = try Fixtures.question("dk-from-d-model", seed: 2)
    var run = QuestionRun(question: question)
    let d = try #require(question.bindings["d_model"]?.integerValue)
    let turn = run.respond(to: "\(d)")
    #expect(turn.messages.first == .wrong("That is the model's full width; each head gets only d_model / h of it."))
    #expect(!turn.messages.contains { if case .hint = $0 { true } else { false } })
}

@Test("skip ends the question with the answer; quit ends the session; a right answer is explained")
func skipQuitCorrect() throws {
    let question = try Fixtures.question("name-of-concat")
    var skipped = QuestionRun(question: question)
    let skip = skipped.respond(to: "SKIP")
    #expect(skip.finished && skipped.outcome == .skipped)
    var quitting = QuestionRun(question: question)
    let quit = quitting.respond(to: "quit")
    #expect(quit.quit && quitting.outcome == .unanswered)
    var right = QuestionRun(question: question)
    let turn = right.respond(to: "concat")
    #expect(turn.finished && right.outcome == .correct && right.score == 1)
    #expect(turn.messages.last == .explanation(question.explanation))
}

@Test("a multi question that runs out keeps its best partial credit")
func multiPartialCredit() throws {
    let question = try Fixtures.question("what-heads-share", seed: 1)
    guard case .multi(let keys) = question.expected else { Issue.record("expected multi"); return }
    var run = QuestionRun(question: question)
    let one = PresentedOption.letter(try #require(keys.min()))
    for _ in 0..<3 { _ = run.respond(to: one) }
    #expect(run.outcome == .partial && run.score == 0.5)
}

@Test("the last try counts: a worse last answer to a multi question lowers its credit")
func lastTryCounts() throws {
    let question = try Fixtures.question("what-heads-share", seed: 1)
    guard case .multi(let keys) = question.expected else { Issue.record("expected multi"); return }
    let sorted = keys.sorted()
    let wrongOne = try #require(Set(question.options.indices).subtracting(keys).first)
    var run = QuestionRun(question: question)
    _ = run.respond(to: PresentedOption.letter(sorted[0]))
    _ = run.respond(to: PresentedOption.letter(sorted[0]))
    _ = run.respond(to: [sorted[0], wrongOne].map(PresentedOption.letter).joined(separator: ", "))
    #expect(run.outcome == .wrong && run.score == 0)
}

@Test("a right choice says Correct once, then lists every option with ✓ or ✗ and its feedback")
func choiceEndsWithOptionList() throws {
    let question = try Fixtures.question("why-several-heads", seed: 3)
    guard case .choice(let key) = question.expected else { Issue.record("expected choice"); return }
    var run = QuestionRun(question: question)
    let turn = run.respond(to: PresentedOption.letter(key))
    let corrects = turn.messages.filter { if case .correct = $0 { true } else { false } }
    #expect(corrects == [.correct("Correct.")])
    let options = turn.messages.compactMap { message -> (String, Bool, Bool)? in
        if case .option(let text, let correct, let chosen) = message { return (text, correct, chosen) }
        return nil
    }
    #expect(options.count == question.options.count)
    for (index, option) in options.enumerated() {
        #expect(option.1 == question.options[index].correct && option.2 == (index == key))
        if let feedback = question.options[index].feedback { #expect(option.0.contains(feedback)) }
    }
}

@Test("a select-all question that runs out names the right letters and explains every option, picked or not")
func multiRunsOutWithOptionList() throws {
    let question = try Fixtures.question("what-heads-share", seed: 1)
    guard case .multi(let keys) = question.expected else { Issue.record("expected multi"); return }
    var run = QuestionRun(question: question)
    var last = run.respond(to: "zz9")
    for _ in 0..<3 { last = run.respond(to: PresentedOption.letter(try #require(keys.min()))) }
    #expect(last.messages.contains(.answer("The answer: " + keys.sorted().map(PresentedOption.letter).joined(separator: ", "))))
    #expect(last.messages.filter { if case .option = $0 { true } else { false } }.count == question.options.count)
}
