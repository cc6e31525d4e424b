import Foundation
import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("the valid fixture loads every kind with its fields")
func validFixtureLoads() throws {
    let exercises = try Fixtures.valid()
    #expect(exercises.count == 6)
    let dk = try #require(exercises["dk-from-d-model"])
    #expect(dk.kind == .number)
    #expect(dk.tags == ["dimensions"])
    #expect(dk.given.map(\.name) == ["d_model", "h"])
    #expect(dk.given[1].domain.values.count == 29)
    #expect(dk.whereClause?.value == "d_model % h == 0 and d_model / h >= 16")
    #expect(dk.wrong.count == 2)
    #expect(dk.hints.count == 2)
    #expect(dk.attempts == 3)
    #expect(exercises["scale-factor"]?.tolerance == 0.001)
    #expect(exercises["why-several-heads"]?.options.filter(\.correct).count == 1)
    #expect(exercises["what-heads-share"]?.options.filter(\.correct).count == 2)
    #expect(exercises["name-of-concat"]?.accept.count == 4)
    #expect(exercises["name-of-concat"]?.wrong.first?.text?.value == "addition")
}

@Test("every mistake in a file is reported at once, each at its own line")
func allErrorsAtOnce() {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: Bad_Id
        kind: number
        prompt: What?
        answer: 1
        explain: One.
      - id: two
        kind: nmber
        prompt: What?
        explain: Two.
      - id: three
        kind: text
        prompt: What?
        accept: [x]
        explian: typo
    """)
    #expect(result.file.exercises.isEmpty)
    let lines = result.diagnostics.map(\.location.line)
    #expect(lines == [3, 9, 12, 16])
    #expect(result.diagnostics[1].message.contains("did you mean `number`?"))
    #expect(result.diagnostics[2].message.contains("missing field `explain`"))
    #expect(result.diagnostics[3].message.contains("did you mean `explain`?"))
}

@Test("a YAML flow list answer is read as a list expression")
func flowListAnswer() throws {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: shape
        kind: shape
        prompt: Shape?
        answer: [11, 768 / 12]
        explain: Split.
    """)
    let exercise = try #require(result.file.exercises.first)
    #expect(exercise.answer?.value == "[11, 768 / 12]")
    #expect(exercise.answer?.location.line == 6)
}

@Test("a quoted expression is located after its opening quote")
func quotedExpressionLocation() throws {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: quoted
        kind: number
        prompt: Q?
        answer: 'mha(d_model: 64, heads: 4).d_k'
        explain: E.
    """)
    let exercise = try #require(result.file.exercises.first)
    #expect(exercise.answer?.location.column == 14)
}

@Test("a file that is not a mapping, or is empty, gets one clear error")
func notAMapping() {
    for text in ["- just\n- a list\n", ""] {
        let result = loadYAML(text)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.contains("`format: 1`") == true)
    }
}

@Test("a wrong entry of a text exercise must use text:, and every entry needs feedback")
func wrongEntryShape() {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: words
        kind: text
        prompt: Q?
        accept: [yes]
        wrong:
          - answer: 3
            feedback: F.
          - text: no
        explain: E.
    """)
    #expect(result.diagnostics.map(\.location.line) == [8, 10])
    #expect(result.diagnostics[0].message.contains("use `text:`"))
    #expect(result.diagnostics[1].message.contains("needs `feedback`"))
}

@Test("a range given as from/to/step lists its values, and a bad step is refused")
func rangeParameters() throws {
    let good = loadYAML("""
    format: 1
    exercises:
      - id: stepped
        kind: number
        given:
          h: {from: 4, to: 16, step: 4}
        prompt: Q `= h`?
        answer: h
        explain: E.
    """)
    let exercise = try #require(good.file.exercises.first)
    #expect(exercise.given[0].domain.values.compactMap(\.integerValue) == [4, 8, 12, 16])
    let bad = loadYAML("""
    format: 1
    exercises:
      - id: stepped
        kind: number
        given:
          h: {from: 4, to: 16, step: 0, by: 2}
        prompt: Q?
        answer: h
        explain: E.
    """)
    #expect(bad.diagnostics.count == 2)
    #expect(bad.diagnostics.contains { $0.message.contains("unknown field `by`") })
    #expect(bad.diagnostics.contains { $0.message.contains("`step` of `h` must be 1 or more") })
}

@Test("a field written twice, and an id used twice in one file, are both reported")
func duplicatesInOneFile() {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: twice
        kind: number
        prompt: Q?
        prompt: Again?
        answer: 1
        explain: E.
      - id: twice
        kind: number
        prompt: Q?
        answer: 1
        explain: E.
    """)
    #expect(result.diagnostics.map { "\($0.location.line):\($0.location.column)" } == ["6:5", "9:5"])
    #expect(result.diagnostics[0].message == "duplicate field `prompt` in an exercise")
    #expect(result.diagnostics[1].message.contains("duplicate exercise id `twice` (first used at 3:5)"))
    #expect(result.file.exercises.isEmpty)
}

@Test("a file that is not UTF-8 is an error, not a crash")
func notUTF8() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-latin1-\(UUID().uuidString).yaml")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data([0x66, 0x6F, 0x72, 0x6D, 0x61, 0x74, 0x3A, 0x20, 0xE9, 0xFF, 0x0A]).write(to: url)
    let result = ExerciseLoader.load(fileAt: url, displayPath: "latin1.yaml")
    #expect(result.diagnostics.map(\.description) == ["latin1.yaml:1:1: error: the file is not UTF-8 text"])
}

@Test("a range too large to draw from is refused at load time")
func hugeRange() {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: huge
        kind: number
        given:
          n: {from: 1, to: 9000000000000}
        prompt: Q?
        answer: n
        explain: E.
    """)
    #expect(result.diagnostics.count == 1)
    #expect(result.diagnostics.first?.message.contains("more than 100000 values") == true)
}

@Test("YAML nested thousands of levels deep is reported at the place it gets too deep, never a stack overflow",
      arguments: ["a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
                  "a:\n" + (1..<6000).map { String(repeating: " ", count: $0) + "b:\n" }.joined(),
                  String(repeating: "- ", count: 20_000) + "x"])
func deepYAMLIsRefused(yaml: String) throws {
    let result = loadYAML(yaml)
    #expect(result.file.exercises.isEmpty)
    let diagnostic = try #require(result.diagnostics.first)
    #expect(diagnostic.message.contains("nests deeper than \(YAMLNesting.limit) levels"))
    #expect(diagnostic.location.line >= 1)
}

@Test("the nesting bound leaves ordinary exercise files alone")
func nestingBoundAllowsOrdinaryFiles() throws {
    let text = try String(contentsOf: Fixtures.url("valid.yaml"), encoding: .utf8)
    #expect(YAMLNesting.firstPlaceDeeper(than: YAMLNesting.limit, in: text) == nil)
    #expect(YAMLNesting.firstPlaceDeeper(than: 3, in: "a:\n  b:\n    c:\n      d: [1, [2]]\n") != nil)
}

@Test("a mistake that YAML aliases repeat is reported once")
func aliasedMistakeReportedOnce() {
    let result = loadYAML("""
    format: 1
    a: &a {id: x, kind: nope, prompt: p, explain: e}
    exercises: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    """)
    let messages = result.diagnostics.map(\.description)
    #expect(messages.count == Set(messages).count)
    #expect(messages.filter { $0.contains("unknown kind `nope`") }.count == 1)
}
