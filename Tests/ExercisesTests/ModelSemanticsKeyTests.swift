import Foundation
import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

/// The repository's own exercise folder.
private let bundledExercises = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("exercises")

/// The bundled exercise `id` in `file`, posed with exactly `given`.
private func bundledQuestion(_ file: String, id: String, given: [String: Value]) throws -> Question {
    let result = ExerciseLoader.load(fileAt: bundledExercises.appendingPathComponent(file), set: "kv-cache")
    let exercise = try #require(result.file.exercises.first { $0.id == id })
    return try Question.make(exercise, space: VariantSpace(combinations: [given], tried: 1), seed: 0).get()
}

@Test("Mistral 7B's sliding window decides the decode key: 8,192 cached tokens read 512 MiB, not 1,024")
func mistralDecodeKeyUsesTheWindow() throws {
    let question = try bundledQuestion("kv-cache/decode.yaml", id: "kv-decode-bytes-read",
                                       given: ["name": .string("mistral-7b"), "n": .integer(8192)])
    guard case .number(let key, _) = question.expected else { Issue.record("expected a number key"); return }
    #expect(key == 512)
    #expect(Grader.grade("512 MiB", for: question).outcome == .correct)
    let unwindowed = Grader.grade("1024", for: question)
    #expect(unwindowed.outcome == .wrong && unwindowed.matchedWrong == 1)
    let llama = try bundledQuestion("kv-cache/decode.yaml", id: "kv-decode-bytes-read",
                                    given: ["name": .string("llama-3-8b"), "n": .integer(8192)])
    guard case .number(let llamaKey, _) = llama.expected else { Issue.record("expected a number key"); return }
    #expect(llamaKey == 1024)
}

@Test("a sparse `where` over a large product is enumerated in full, not sampled and found unsatisfiable")
func sparseWhereIsEnumerated() throws {
    let exercise = try #require(loadYAML("""
    format: 1
    exercises:
      - id: sparse
        kind: number
        given:
          d_model: {from: 1, to: 8192}
          h: {from: 1, to: 128}
        where: d_model == 64 * h
        prompt: How wide is each of `= h` heads in `= d_model`?
        answer: d_model / h
        explain: Divide.
    """).file.exercises.first)
    let space = try VariantSpace.build(for: exercise).get()
    #expect(space.isComplete)
    #expect(space.combinations.count == 128)
    #expect(space.combinations.allSatisfy { $0["d_model"]?.integerValue == 64 * ($0["h"]?.integerValue ?? 0) })
    let report = ExerciseChecker.check(exercise, seeds: 1)
    #expect(report.passed)
    #expect(report.coverage["test.yaml"]?.summary == "proved over all 128 variants")
}

@Test("a sampled space counts the variants that satisfy `where`, and warns when too few were proved")
func sampledSpaceCountsSatisfying() throws {
    let exercise = try #require(loadYAML("""
    format: 1
    exercises:
      - id: wide
        kind: number
        given:
          a: {from: 1, to: 2000}
          b: {from: 1, to: 2000}
        where: a != b + 1
        prompt: What is `= a` plus `= b`?
        answer: a + b
        explain: Add them.
    """).file.exercises.first)
    let report = ExerciseChecker.check(exercise, seeds: 1)
    let coverage = try #require(report.coverage["test.yaml"])
    #expect(coverage.sampled && coverage.estimated)
    #expect(coverage.total < 4_000_000 && coverage.total > 3_900_000)
    #expect(coverage.summary.hasPrefix("sampled \(coverage.proved) of about "))
    #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.contains("fewer than 1%") })
    #expect(report.passed)
}
