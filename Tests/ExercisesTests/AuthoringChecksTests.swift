import Foundation
import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

/// Checks `yaml` (one file, `test.yaml`), loader and checker together, returning every diagnostic as `line:col message`.
private func problems(_ yaml: String) -> [String] {
    let loaded = loadYAML(yaml)
    var found = loaded.diagnostics
    for exercise in loaded.file.exercises { found += ExerciseChecker.check(exercise).diagnostics }
    return found.map { "\($0.location.line):\($0.location.column) \($0.message)" }
}

@Test("an error in a `= EXPR` span of a hint, the explanation, option feedback or wrong feedback is reported at the span itself")
func spanErrorsAtTheirPlace() {
    let found = problems("""
    format: 1
    exercises:
      - id: spans
        kind: number
        given:
          n: [2, 4]
        prompt: What is `= n` squared?
        answer: n * n
        wrong:
          - answer: 2 * n
            feedback: |
              You doubled it.
              Doubling gives `= dobule(n)`.
        hints:
          - Multiply it by itself.
          - 'It is `= n` times `= nn`.'
        explain: |
          Squaring `= n`
          gives `= n * m`.
      - id: options
        kind: choice
        prompt: Which?
        options:
          - text: 'The `= 1 +` one'
            correct: true
          - text: Other
            feedback: |
              Not `= zz`.
        explain: E.
    """)
    #expect(found.contains { $0.hasPrefix("13:29 in `feedback`") }, "\(found)")
    #expect(found.contains { $0.hasPrefix("16:31 in `hints`") }, "\(found)")
    #expect(found.contains { $0.hasPrefix("19:20 in `explain`") }, "\(found)")
    #expect(found.contains { $0.hasPrefix("24:26 in `option text`") }, "\(found)")
    #expect(found.contains { $0.hasPrefix("28:18 in `option feedback`") }, "\(found)")
}

@Test("an example whose hand-worked answer disagrees with the key fails at the example's answer")
func exampleCatchesWrongKey() {
    let found = problems("""
    format: 1
    exercises:
      - id: dk
        kind: number
        given:
          d_model: [512, 768]
          h: [8, 12]
        where: d_model % h == 0
        prompt: d_k for `= d_model` and `= h` heads?
        answer: d_model / h + 1
        examples:
          - {d_model: 512, h: 8, answer: 64}
        explain: Divide.
    """)
    #expect(found == ["12:38 the key gives 65 with d_model = 512, h = 8, but this example, worked out by hand, says 64; fix whichever is wrong"], "\(found)")
}

@Test("examples that agree with the key pass; shapes compare whole; a value outside `given` or `where` is reported")
func examplesAgreeAndAreVariants() {
    let good = problems("""
    format: 1
    exercises:
      - id: shape
        kind: shape
        given:
          t: [4, 8]
          d: [64, 128]
        prompt: Shape of `= t` tokens of width `= d`?
        answer: '[t, d]'
        examples:
          - {t: 4, d: 64, answer: '[4, 64]'}
          - t: 8
            d: 128
            answer: [8, 128]
        explain: Rows and columns.
    """)
    #expect(good.isEmpty, "\(good)")
    let outside = problems("""
    format: 1
    exercises:
      - id: n
        kind: number
        given:
          n: [1, 2, 3]
        where: n != 2
        prompt: Twice `= n`?
        answer: 2 * n
        examples:
          - {n: 5, answer: 10}
          - {n: 2, answer: 4}
        explain: Double.
    """)
    #expect(outside.contains { $0.hasPrefix("11:9 this example gives n = 5, which is not among the values") }, "\(outside)")
    #expect(outside.contains { $0.hasPrefix("12:9 this example with n = 2 does not satisfy `where`") }, "\(outside)")
    let misnamed = problems("""
    format: 1
    exercises:
      - id: n
        kind: number
        given:
          n: [1, 2, 3]
        prompt: Twice `= n`?
        answer: 2 * n
        examples:
          - {m: 1, answer: 2}
        explain: Double.
    """)
    #expect(misnamed.contains { $0.hasPrefix("10:10 `m` is not a parameter of this exercise; did you mean `n`?") }, "\(misnamed)")
    #expect(misnamed.contains { $0.hasPrefix("10:9 this example does not give `n`") }, "\(misnamed)")
}

/// Two misconceptions: forgetting ×2 (keys and values) and forgetting bytes; they coincide when bytes == 2.
private func cacheExercise(secondWhen: String?) -> String {
    """
    format: 1
    exercises:
      - id: cache
        kind: number
        given:
          L: [2, 4]
          bytes: [2, 4]
        prompt: Cache bytes for `= L` layers of one 8-wide token at `= bytes` bytes each?
        answer: 2 * L * 8 * bytes
        wrong:
          - answer: L * 8 * bytes
            feedback: Keys and values are both cached.
          - answer: 2 * L * 8
            feedback: That counts numbers, not bytes.
    \(secondWhen.map { "        when: \($0)\n" } ?? "")    explain: Both K and V, per layer, in bytes.
    """
}

@Test("coinciding misconceptions are reported where they coincide; `when:` limits one so both get feedback")
func whenSeparatesCoincidingEntries() {
    let clash = problems(cacheExercise(secondWhen: nil))
    #expect(clash.count == 1, "\(clash)")
    #expect(clash.first?.contains("bytes = 2, the same as the entry at 11:9") == true, "\(clash)")
    #expect(clash.first?.contains("give one a `when:`") == true)
    #expect(problems(cacheExercise(secondWhen: "bytes != 2")).isEmpty)
}

@Test("a pair of wrong entries that agree in every variant is reported once as such; a `when` that is not true or false is an error")
func pairCoincidingEverywhere() {
    let found = problems("""
    format: 1
    exercises:
      - id: same
        kind: number
        given:
          n: [1, 2, 3]
        prompt: Three times `= n`?
        answer: 3 * n
        wrong:
          - answer: n + n
            feedback: That doubles.
          - answer: 2 * n
            feedback: Also doubles.
        explain: Triple.
      - id: not-boolean
        kind: number
        given:
          n: [1, 2, 3]
        prompt: Three times `= n`?
        answer: 3 * n
        wrong:
          - answer: n
            when: n + 1
            feedback: That is n.
        explain: Triple.
    """)
    #expect(found.count == 2, "\(found)")
    #expect(found.contains { $0.hasPrefix("12:17 this wrong answer equals the entry at 10:9 in every variant where both apply (3)") }, "\(found)")
    #expect(found.contains { $0.hasPrefix("23:15 `when` must be true or false, but `n + 1` gave 2 (with n = 1)") }, "\(found)")
}

@Test("a choice with no correct option says to mark one, not to use `kind: multi`")
func choiceWithNoneCorrect() {
    let found = problems("""
    format: 1
    exercises:
      - id: none
        kind: choice
        prompt: Which?
        options:
          - text: A
          - text: B
        explain: E.
    """)
    #expect(found == ["7:7 a choice exercise needs one option marked `correct: true`, and none is; mark the right option"], "\(found)")
}
