import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

/// The one variant of an exercise written in a test.
private func question(_ yaml: String) throws -> Question {
    let result = loadYAML(yaml)
    guard result.isClean, let exercise = result.file.exercises.first else { throw ExerciseProblems(result.diagnostics) }
    return try Question.make(exercise, space: try VariantSpace.build(for: exercise).get(), seed: 1).get()
}

private func numberExercise(unit: String, answer: String, prompt: String = "How big?") -> String {
    """
    format: 1
    exercises:
      - id: size
        kind: number
        unit: \(unit)
        prompt: \(prompt)
        answer: '\(answer)'
        tolerance: 0.01
        explain: It is.
    """
}

@Test("on a question counted in MiB, `512 MiB` is right, and so is the same size in bytes or GiB")
func mebibyteAnswers() throws {
    let question = try question(numberExercise(unit: "MiB", answer: "512"))
    #expect(Grader.grade("512 MiB", for: question).outcome == .correct)
    #expect(Grader.grade("512", for: question).outcome == .correct)
    #expect(Grader.grade("536,870,912 bytes", for: question).outcome == .correct)
    #expect(Grader.grade("0.5 GiB", for: question).outcome == .correct)
    #expect(Grader.grade("512 KiB", for: question).outcome == .wrong)
    #expect(Grader.grade("512 heads", for: question).outcome == .wrong)
}

@Test("the right quantity in bits on a bytes question is said to be in the wrong unit, and costs no attempt")
func bitsAreTheWrongUnit() throws {
    let question = try question(numberExercise(unit: "bytes", answer: "327680"))
    let grade = Grader.grade("2621440 bits", for: question)
    #expect(grade.outcome == .unreadable && !grade.costsAttempt)
    #expect(grade.feedback.joined().contains("right amount, but in bits"))
    #expect(Grader.grade("2621440", for: question).outcome == .wrong)
    #expect(Grader.grade("327680 bytes", for: question).outcome == .correct)
}

@Test("`36%` reads as 0.36 where a fraction is asked")
func percentAsFraction() throws {
    let question = try question(numberExercise(unit: "fraction", answer: "0.36"))
    #expect(Grader.grade("36%", for: question).outcome == .correct)
    #expect(Grader.grade("36 %", for: question).outcome == .correct)
    #expect(Grader.grade("36 percent", for: question).outcome == .correct)
    #expect(Grader.grade("0.36", for: question).outcome == .correct)
    #expect(Grader.grade("36", for: question).outcome == .wrong)
}

@Test("an option is read by the initials of its words: MQA, GQA, MHA, MLA")
func optionAbbreviations() {
    let options = ["Multi-query attention", "Grouped-query attention", "Multi-head attention", "Multi-head latent attention"]
    #expect(AnswerReader.choice("MQA", options: options) == .choices([0]))
    #expect(AnswerReader.choice("gqa", options: options) == .choices([1]))
    #expect(AnswerReader.choice("MHA", options: options) == .choices([2]))
    #expect(AnswerReader.choice("MLA", options: options) == .choices([3]))
    #expect(AnswerReader.choices("MQA, GQA", options: options) == .choices([0, 1]))
    #expect(AnswerReader.choices("mqa", options: options) == .choices([0]))
}

@Test("check reports a prompt that asks how many MiB when the exercise does not declare the unit")
func promptUnitMustBeDeclared() {
    let yaml = numberExercise(unit: "bytes", answer: "512", prompt: "How many **MiB** is it?")
    let result = loadYAML(yaml)
    let report = ExerciseChecker.check(result.file.exercises[0])
    #expect(report.diagnostics.contains { $0.message.contains("the prompt asks how many MiB, but the exercise declares `unit: bytes`") })
    let fixed = loadYAML(numberExercise(unit: "MiB", answer: "512", prompt: "How many **MiB** is it?"))
    #expect(ExerciseChecker.check(fixed.file.exercises[0]).passed)
}
