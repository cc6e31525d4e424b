import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

/// A number question with a unit and the parameters every slip uses: d_model 768, h 12, L 6.
func unitQuestion(answer: String, unit: String = "dims", tolerance: String? = nil) throws -> Question {
    let yaml = """
    format: 1
    exercises:
      - id: sample
        kind: number
        unit: \(unit)
        given:
          d_model: [768]
          h: [12]
          L: [6]
        prompt: A question.
        answer: '\(answer)'
    \(tolerance.map { "    tolerance: \($0)\n" } ?? "")    wrong:
          - answer: '0 - 1'
            feedback: A listed mistake.
        explain: Because.
    """
    let result = loadYAML(yaml)
    guard result.isClean, let exercise = result.file.exercises.first else { throw ExerciseProblems(result.diagnostics) }
    return try Question.make(exercise, space: try VariantSpace.build(for: exercise).get(), seed: 1).get()
}

/// One slip: the key, an answer the slip recognises, and the name it must report.
struct SlipCase: Sendable, CustomTestStringConvertible {
    var name: String
    var key: String
    var unit: String
    var slip: String
    var testDescription: String { name }
}

let slipCases: [SlipCase] = [
    SlipCase(name: "inverted ratio", key: "8", unit: "dims", slip: "1/8"),
    SlipCase(name: "2 too many", key: "d_model * 2", unit: "bytes", slip: "3072"),
    SlipCase(name: "2 too few", key: "d_model * 2", unit: "bytes", slip: "768"),
    SlipCase(name: "h too many", key: "d_model / h", unit: "dims", slip: "768"),
    SlipCase(name: "h too few", key: "d_model * 10", unit: "params", slip: "640"),
    SlipCase(name: "d_model too many", key: "5", unit: "params", slip: "3840"),
    SlipCase(name: "d_model too few", key: "768 * 7", unit: "params", slip: "7"),
    SlipCase(name: "1024 too many", key: "7", unit: "bytes", slip: "7168"),
    SlipCase(name: "1024 too few", key: "7 * 1024", unit: "bytes", slip: "7"),
    SlipCase(name: "8 too many", key: "5", unit: "bytes", slip: "40"),
    SlipCase(name: "8 too few", key: "40", unit: "bytes", slip: "5"),
    SlipCase(name: "L too many", key: "10", unit: "params", slip: "60"),
    SlipCase(name: "L too few", key: "60", unit: "params", slip: "10"),
]

@Test("each built-in slip is recognised with its own sentence, and never on the key itself", arguments: slipCases)
func slip(_ example: SlipCase) throws {
    let question = try unitQuestion(answer: example.key, unit: example.unit)
    guard case .number(let key, let tolerance) = question.expected else { Issue.record("a number key"); return }
    let grade = Grader.grade(example.slip, for: question)
    let expected = try #require(Slip.recognise(try AnswerReader.quantity(example.slip).get().value, key: key, tolerance: tolerance, question: question))
    #expect(expected.name == example.name)
    #expect(grade.outcome == .wrong && grade.feedback == [expected.sentence])
    #expect(Slip.recognise(key, key: key, tolerance: tolerance, question: question) == nil)
    #expect(Grader.grade(ValueText.decimal(key), for: question).outcome == .correct)
}

@Test("an exercise's own wrong entries come before the built-in slips")
func ownMistakesFirst() throws {
    let question = try unitQuestion(answer: "1", unit: "dims")
    #expect(Grader.grade("-1", for: question).feedback == ["A listed mistake."])
}

@Test("a wrong unit word names the confusion and gets no credit; no unit word is read as the exercise's unit")
func unitsChecked() throws {
    let question = try unitQuestion(answer: "d_model / h")
    let heads = Grader.grade("64 heads", for: question)
    #expect(heads.outcome == .wrong && heads.score == 0)
    #expect(heads.feedback == ["64 is the number, but the answer is a width in dimensions, not a count of heads."])
    #expect(Grader.grade("64", for: question).outcome == .correct)
    #expect(Grader.grade("64 dims", for: question).outcome == .correct)
    #expect(Grader.grade("d_k = 64 dimensions", for: question).outcome == .correct)
    let bytes = Grader.grade("64 KiB", for: question)
    #expect(bytes.outcome == .unreadable && bytes.feedback.first?.contains("not a size in bytes") == true)
}

@Test("a byte size is converted when the question asks for bytes, and KB for KiB is named")
func bytesConverted() throws {
    let question = try unitQuestion(answer: "16 * 1024", unit: "bytes")
    for input in ["16 KiB", "16384 bytes", "16,384", "0.015625 MiB"] {
        #expect(Grader.grade(input, for: question).outcome == .correct, "\(input)")
    }
    let kb = Grader.grade("16 KB", for: question)
    #expect(kb.outcome == .wrong && kb.feedback.first?.contains("KiB") == true)
}

@Test("a rounded count is recognised as rounded, costs no attempt, and asks for the exact count")
func roundedCount() throws {
    let question = try unitQuestion(answer: "1050624", unit: "params")
    let rounded = Grader.grade("1.05M", for: question)
    #expect(rounded.outcome == .unreadable && !rounded.costsAttempt)
    #expect(rounded.feedback == ["Right to three figures, but rounded: give the exact count."])
    #expect(Grader.grade("1.2M", for: question).outcome == .wrong)
    #expect(Grader.grade("1,050,624 parameters", for: question).outcome == .correct)
}

@Test("an inverted ratio is named, not met with 'Not quite.'")
func invertedRatio() throws {
    let question = try unitQuestion(answer: "8", unit: "dims")
    #expect(Grader.grade("1/8", for: question).feedback.first?.contains("upside down") == true)
    #expect(Grader.grade("0.125", for: question).feedback.first?.contains("upside down") == true)
}
