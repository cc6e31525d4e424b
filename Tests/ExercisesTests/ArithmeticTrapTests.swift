import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("a `//` in the key that drops a remainder in one variant is reported with the variant; floor(… / …) says it is meant")
func flooringDivisionIsReported() throws {
    func report(_ answer: String) throws -> ExerciseCheckReport {
        let exercise = try #require(loadYAML("""
        format: 1
        exercises:
          - id: floors
            kind: number
            given:
              d_model: [768, 1200]
              h: [12, 32]
            prompt: How wide is each of `= h` heads in `= d_model`?
            answer: '\(answer)'
            explain: Divide.
        """).file.exercises.first)
        return ExerciseChecker.check(exercise, seeds: 1)
    }
    let floored = try report("d_model // h")
    #expect(floored.diagnostics.contains { $0.message.hasPrefix("the answer floors 37.5 to 37 with d_model = 1200, h = 32") })
    #expect(floored.diagnostics.first?.location.column == 22)
    #expect(try report("floor(d_model / h)").passed)
}

@Test("a `%` whose operands' signs differ floors, and is reported")
func flooringRemainderIsReported() throws {
    let exercise = try #require(loadYAML("""
    format: 1
    exercises:
      - id: remainder
        kind: number
        given:
          a: [-7, 7]
        prompt: What is the remainder of `= a` by 3?
        answer: 'a % 3'
        explain: Divide.
    """).file.exercises.first)
    let report = ExerciseChecker.check(exercise, seeds: 1)
    #expect(report.diagnostics.contains { $0.message.hasPrefix("`%` floors here with a = -7: -7 % 3 is 2, not -1") })
}

@Test("a `when:` that holds in no variant is reported: its feedback could never be shown")
func deadWhenIsReported() throws {
    let exercise = try #require(loadYAML("""
    format: 1
    exercises:
      - id: dead
        kind: number
        given:
          h: [8, 16]
        prompt: How many heads are there, `= h` or not?
        answer: h
        wrong:
          - answer: h * 2
            when: h > 100
            feedback: Too many.
          - answer: h * 3
            when: h > 10
            feedback: Far too many.
        explain: Count them.
    """).file.exercises.first)
    let report = ExerciseChecker.check(exercise, seeds: 1)
    let dead = report.diagnostics.filter { $0.message.contains("holds in no variant") }
    #expect(dead.count == 1)
    #expect(dead.first?.location.line == 11)
}
