import Foundation
import Testing
@testable import Exercises

@Test("a plain answers file gives each answer the seed above it; comments and blank lines are skipped")
func plainAnswersRead() throws {
    let read = try LearnerAnswers.read("# mine\nseed: 4\na-one: 12\n\nseed: 9\nb-two: [1, 2]\n", learner: "x").get()
    #expect(read.attempts == [.init(exercise: "a-one", seed: 4, answer: "12"), .init(exercise: "b-two", seed: 9, answer: "[1, 2]")])
}

@Test("a transcript's result lines give every attempt; attempt lines count only for a question without a result")
func transcriptRead() throws {
    let text = """
    {"type":"attempt","id":"a","seed":1,"answer":"3"}
    {"type":"result","id":"a","seed":1,"attempts":[{"answer":"3"},{"answer":"4"}]}
    {"type":"attempt","id":"b","seed":2,"answer":"7"}
    """
    let read = try LearnerAnswers.read(text, learner: "x").get()
    #expect(read.attempts.map(\.answer) == ["3", "4", "7"])
}

@Test("CSV fields that could run as spreadsheet formulas, or hold commas, are quoted safely")
func csvFieldsSafe() {
    #expect(ClassGrades.field("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
    #expect(ClassGrades.field("a,b") == "\"a,b\"")
    #expect(ClassGrades.field("say \"hi\", ok") == "\"say \"\"hi\"\", ok\"")
}

@Test("learners who drew different option orders are each graded against their own order")
func choiceGradedPerOrder() throws {
    let exercise = try #require(try Fixtures.valid()["why-several-heads"])
    let space = try VariantSpace.build(for: exercise).get()
    var learners: [LearnerAnswers] = []
    for seed in UInt64(0)..<12 {
        let question = try Question.make(exercise, space: space, seed: seed).get()
        learners.append(LearnerAnswers(learner: "l\(seed)", attempts: [.init(exercise: exercise.id, seed: seed, answer: question.answerText)]))
    }
    let grades = ClassGrades.grade(learners, bank: [exercise])
    #expect(grades.rows.count == 12)
    #expect(grades.rows.allSatisfy { $0.scores[exercise.id] == 1 && $0.firstTryTotal == 1 })
}
