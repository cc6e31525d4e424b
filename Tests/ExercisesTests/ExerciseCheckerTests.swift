import Foundation
import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

/// An error a broken fixture promises in its header: `# expect: LINE:COL message`.
struct ExpectedError: CustomStringConvertible {
    var line: Int
    var column: Int
    var message: String

    var description: String { "\(line):\(column) \(message)" }

    static func read(_ url: URL) -> [ExpectedError] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> ExpectedError? in
            guard line.hasPrefix("# expect: ") else { return nil }
            let rest = line.dropFirst("# expect: ".count)
            guard let space = rest.firstIndex(of: " ") else { return nil }
            let place = rest[..<space].split(separator: ":").compactMap { Int($0) }
            guard place.count == 2 else { return nil }
            return ExpectedError(line: place[0], column: place[1], message: String(rest[rest.index(after: space)...]))
        }
    }
}

@Test("every broken fixture fails exactly where its header says, and nowhere else", arguments: Fixtures.brokenFiles)
func brokenFixtureFailsAtTheRightPlace(_ url: URL) {
    let expected = ExpectedError.read(url)
    #expect(!expected.isEmpty, "fixture \(url.lastPathComponent) has no `# expect:` header")
    let report = ExerciseChecker.check(fileAt: url, seeds: 50, displayPath: url.lastPathComponent)
    #expect(!report.passed)
    for expectation in expected {
        let hit = report.diagnostics.contains {
            $0.location.line == expectation.line && $0.location.column == expectation.column && $0.message.contains(expectation.message)
        }
        #expect(hit, "\(url.lastPathComponent): expected \(expectation); got \(report.diagnostics.map(\.description))")
    }
    for diagnostic in report.diagnostics {
        let promised = expected.contains { $0.line == diagnostic.location.line && $0.column == diagnostic.location.column }
        #expect(promised, "\(url.lastPathComponent): unexpected \(diagnostic)")
        #expect(diagnostic.description.hasPrefix("\(url.lastPathComponent):\(diagnostic.location.line):\(diagnostic.location.column): error: "))
    }
}

@Test("the valid fixture passes every check, proved over every one of its variants")
func validFixturePasses() throws {
    let report = ExerciseChecker.check(fileAt: Fixtures.url("valid.yaml"), seeds: 50)
    #expect(report.passed, "\(report.diagnostics.map(\.description))")
    #expect(report.exercises == 6)
    var expected = 0
    for exercise in try Fixtures.valid().values { expected += try VariantSpace.build(for: exercise).get().combinations.count }
    #expect(report.variants == expected)
    let coverage = try #require(report.coverage[Fixtures.url("valid.yaml").path])
    #expect(coverage == { var c = Coverage(); c.exercises = 6; c.proved = expected; c.total = expected; return c }())
    #expect(coverage.summary == "proved over all \(expected) variants")
}

/// An exercise over n = 1…53 whose `wrong` entry `n + 37` equals the key `2 * n` only when n = 37.
private let oneIn53 = """
format: 1
exercises:
  - id: one-in-fifty-three
    kind: number
    given:
      n: {from: 1, to: 53}
    prompt: What is twice `= n`?
    answer: 2 * n
    wrong:
      - answer: n + 37
        feedback: That adds instead of doubling.
    explain: Twice `= n` is `= 2 * n`.
"""

@Test("a wrong answer equal to the key in 1 of 53 variants is caught, whatever the seed count")
func oneIn53Caught() throws {
    let exercise = try #require(loadYAML(oneIn53).file.exercises.first)
    for seeds in [1, 50] {
        let report = ExerciseChecker.check(exercise, seeds: seeds)
        #expect(report.variants == 53)
        #expect(report.diagnostics.count == 1)
        #expect(report.diagnostics.first?.location.line == 10)
        #expect(report.diagnostics.first?.message.contains("with n = 37, which the grader accepts as correct") == true, "\(report.diagnostics)")
    }
}

@Test("two different problems of one `wrong` entry are both reported, each at the entry")
func distinctProblemsOfOneEntry() throws {
    // Key 3n. `n + 6` is the key at n = 3. `8 - n` is the key at n = 2 and equals `n + 6` at n = 1.
    let yaml = """
    format: 1
    exercises:
      - id: two-problems
        kind: number
        given:
          n: [1, 2, 3, 4]
        prompt: What is `= n` times 3?
        answer: 3 * n
        wrong:
          - answer: n + 6
            feedback: That adds six.
          - answer: 8 - n
            feedback: That subtracts.
        explain: Three times `= n` is `= 3 * n`.
    """
    let exercise = try #require(loadYAML(yaml).file.exercises.first)
    let report = ExerciseChecker.check(exercise)
    let atSecond = report.diagnostics.filter { $0.location.line == 12 }.map(\.message)
    #expect(atSecond.count == 2, "\(report.diagnostics)")
    #expect(atSecond.contains { $0.contains("with n = 2, which the grader accepts as correct") })
    #expect(atSecond.contains { $0.contains("with n = 1, the same as the entry at 10:9") })
    let atFirst = report.diagnostics.filter { $0.location.line == 10 }.map(\.message)
    #expect(atFirst.count == 1)
    #expect(atFirst.first?.contains("n = 3, which the grader accepts as correct") == true, "\(atFirst)")
}

@Test("a space of more than 100,000 variants is sampled, and the report says how much of how much")
func largeSpaceSampled() throws {
    let yaml = """
    format: 1
    exercises:
      - id: big
        kind: number
        given:
          a: {from: 1, to: 1000}
          b: {from: 1, to: 1000}
        prompt: What is `= a` plus `= b`?
        answer: a + b
        explain: Add them.
    """
    let exercise = try #require(loadYAML(yaml).file.exercises.first)
    let report = ExerciseChecker.check(exercise, seeds: 1)
    #expect(report.passed)
    let coverage = try #require(report.coverage["test.yaml"])
    #expect(coverage.sampled)
    #expect(coverage.total == 1_000_000)
    #expect(coverage.proved == report.variants)
    #expect(coverage.proved > 3_000 && coverage.proved <= VariantSpace.sampleSize)
    #expect(coverage.summary == "sampled \(coverage.proved) of 1000000 variants")
}

@Test("checking several files together reports an id used in two of them")
func duplicateIdsAcrossFiles() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-check-\(UUID().uuidString)/set")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let one = """
    format: 1
    exercises:
      - id: shared
        kind: number
        prompt: What is 768 / 12?
        answer: 768 / 12
        explain: Division.
    """
    try one.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    try one.write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
    let report = ExerciseChecker.check(filesAt: [folder.appendingPathComponent("b.yaml"), folder.appendingPathComponent("a.yaml")],
                                       seeds: 5, relativeTo: folder)
    #expect(report.files == 2)
    #expect(report.diagnostics.map(\.description) == ["b.yaml:3:5: error: duplicate exercise id `shared`; it is already used at a.yaml:3:5"])
}

@Test("an exercise whose wrong answer is also graded as the key is reported with the variant that shows it")
func wrongAnswerEqualToKeyNamesTheVariant() throws {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: one-head
        kind: number
        given:
          h: [1, 2]
        prompt: What is 64 / `= h`?
        answer: 64 / h
        wrong:
          - answer: 64
            feedback: That ignores the heads.
        explain: Division.
    """)
    let exercise = try #require(result.file.exercises.first as Exercise?)
    let report = ExerciseChecker.check(exercise, seeds: 20)
    #expect(report.diagnostics.count == 1)
    #expect(report.diagnostics.first?.message.contains("with h = 1") == true)
}

@Test("every worked example in docs/authoring.md passes the checker")
func authoringGuideExamplesPass() throws {
    let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/authoring.md")
    let text = try String(contentsOf: guide, encoding: .utf8)
    let blocks = text.components(separatedBy: "```yaml\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        .filter { $0.hasPrefix("format: 1\nexercises:\n  - id:") && !$0.contains("id: ...") }
    #expect(blocks.count == 6)
    var kinds = Set<ExerciseKind>()
    for (index, block) in blocks.enumerated() {
        let result = loadYAML(block, path: "authoring.md#\(index + 1)")
        #expect(result.isClean, "\(result.diagnostics.map(\.description))")
        for exercise in result.file.exercises {
            kinds.insert(exercise.kind)
            let report = ExerciseChecker.check(exercise, seeds: 50)
            #expect(report.passed, "\(exercise.id): \(report.diagnostics.map(\.description))")
        }
    }
    #expect(kinds == Set(ExerciseKind.allCases))
}

@Test("damaged copies of a valid file are reported, never crash the checker")
func damagedFilesNeverCrash() throws {
    let original = try String(contentsOf: Fixtures.url("valid.yaml"), encoding: .utf8)
    let lines = original.components(separatedBy: "\n")
    var generator = SeededGenerator(seed: 2024)
    var failures = 0
    for round in 0..<150 {
        var damaged = lines
        let index = generator.below(damaged.count)
        switch round % 5 {
        case 0: damaged.remove(at: index)
        case 1: damaged.insert(damaged[index], at: index)
        case 2: damaged[index] = String(damaged[index].dropFirst(generator.below(max(damaged[index].count, 1))))
        case 3: damaged[index] = damaged[index].replacingOccurrences(of: ":", with: "")
        default: damaged[index] += " ]"
        }
        let result = loadYAML(damaged.joined(separator: "\n"), path: "damaged.yaml")
        for exercise in result.file.exercises { _ = ExerciseChecker.check(exercise, seeds: 3) }
        if !result.isClean { failures += 1 }
        #expect(result.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
    }
    #expect(failures > 50)
}

@Test("checking exercises together, on several threads, gives each one's own report in the order given")
func parallelCheckKeepsOrder() throws {
    let files = Fixtures.brokenFiles + [Fixtures.url("valid.yaml")]
    let exercises = ExerciseBank.load(files: files, relativeTo: Fixtures.root).exercises
    #expect(exercises.count > 10)
    let together = ExerciseChecker.check(exercises, seeds: 8)
    let alone = exercises.map { ExerciseChecker.check($0, seeds: 8) }
    #expect(together.map(\.diagnostics) == alone.map(\.diagnostics))
    #expect(together.map(\.variants) == alone.map(\.variants))
    #expect(together.contains { !$0.diagnostics.isEmpty })
}

@Test("a prompt that renders as nothing is reported, though identical prompts are rendered once")
func emptyPromptReported() {
    let yaml = """
    format: 1
    exercises:
      - id: blank
        kind: number
        given:
          n: [1, 2, 3]
        prompt: '`= ""`'
        answer: n
        explain: Nothing to see.
    """
    let result = loadYAML(yaml)
    #expect(result.isClean, "\(result.diagnostics)")
    guard let exercise = result.file.exercises.first else { return }
    let report = ExerciseChecker.check(exercise, seeds: 10)
    #expect(report.diagnostics.map(\.message).contains { $0.contains("the prompt renders as nothing") })
    #expect(report.diagnostics.count == 1)
    #expect(report.diagnostics.first?.message.hasSuffix("(and in 2 more variants)") == true, "\(report.diagnostics)")
    #expect(report.variants == 3)
}
