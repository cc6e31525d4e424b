import Foundation
import Testing
import TestSupport
@testable import Exercises

/// Three questions without parameters: a number with two `wrong` entries, a one-attempt choice
/// with a distractor nobody should pick, and a number without entries.
private let smallBank = """
format: 1
exercises:
  - id: width
    kind: number
    prompt: A layer has d_model = 512 and 8 heads. How wide is each head?
    answer: 512 / 8
    wrong:
      - answer: 512
        feedback: That is the whole width.
      - answer: 4096
        feedback: Heads do not widen the model.
    explain: 512 / 8 = 64.
  - id: why
    kind: choice
    attempts: 1
    prompt: Why several heads?
    options:
      - text: Each head can attend to a different relationship.
        correct: true
      - text: More parameters.
      - text: One head sees one token only.
    explain: Separate projections let heads specialise.
  - id: count
    kind: number
    prompt: How many heads has a layer with d_model = 512 split into 64-wide heads?
    answer: 512 / 64
    explain: 512 / 64 = 8.
"""

private func bank() throws -> [Exercise] {
    let result = loadYAML(smallBank)
    guard result.isClean else { throw ExerciseProblems(result.diagnostics) }
    return result.file.exercises
}

/// The letter the option with `text` prefix has in the variant drawn at `seed`.
private func letter(_ exercise: Exercise, startingWith text: String, seed: UInt64) throws -> String {
    let question = try Question.make(exercise, space: try VariantSpace.build(for: exercise).get(), seed: seed).get()
    let index = try #require(question.options.firstIndex { $0.text.hasPrefix(text) })
    return PresentedOption.letter(index)
}

/// The class of six worked by hand in docs/authoring.md ("Item analysis").
private func classOfSix() throws -> ClassGrades {
    let exercises = try bank()
    let why = try #require(exercises.first { $0.id == "why" })
    let right = try letter(why, startingWith: "Each head", seed: 1)
    let more = try letter(why, startingWith: "More", seed: 1)
    func learner(_ name: String, _ answers: [(String, String)]) -> LearnerAnswers {
        LearnerAnswers(learner: name, attempts: answers.map { .init(exercise: $0.0, seed: 1, answer: $0.1) })
    }
    let learners = [
        learner("a", [("width", "64"), ("why", right), ("count", "8")]),
        learner("b", [("width", "64"), ("why", right), ("count", "7"), ("count", "8")]),
        learner("c", [("width", "512"), ("width", "64"), ("why", more), ("count", "8")]),
        learner("d", [("width", "100"), ("width", "64"), ("why", right), ("count", "8")]),
        learner("e", [("width", "512"), ("width", "512"), ("width", "512"), ("why", more), ("count", "8")]),
        learner("f", [("width", "64"), ("why", more), ("count", "9"), ("count", "9"), ("count", "9")]),
    ]
    return ClassGrades.grade(learners, bank: exercises)
}

@Test("credit halves for each retry as in practice: the class of six scores 3, 2.5, 1.5, 2.5, 1 and 1")
func classOfSixCredit() throws {
    let grades = try classOfSix()
    #expect(grades.rows.map(\.total) == [3, 2.5, 1.5, 2.5, 1, 1])
    #expect(grades.csv == """
    learner,score,first_try,width,why,count
    a,3,3,1,1,1
    b,2.50,2,1,1,0.50
    c,1.50,1,0.50,0,1
    d,2.50,2,0.50,1,1
    e,1,1,0,0,1
    f,1,1,1,0,0

    """)
}

@Test("the class of six has the difficulty, point-biserial and upper-minus-lower figures worked by hand")
func classOfSixFigures() throws {
    let analysis = ItemAnalysis(try classOfSix())
    let items = Dictionary(uniqueKeysWithValues: analysis.items.map { ($0.id, $0) })
    let width = try #require(items["width"]), why = try #require(items["why"]), count = try #require(items["count"])
    #expect(width.learners == 6 && width.rightFirstTry == 3)
    #expect(abs(width.meanCredit - 4.0 / 6) < 1e-12)
    #expect(abs(try #require(width.pointBiserial) - -0.120386) < 1e-6)
    #expect(width.upperLower == 0)
    #expect(width.groupSize == 2)
    #expect(abs(try #require(why.pointBiserial) - 0.727607) < 1e-6)
    #expect(why.upperLower == 1)
    #expect(count.rightFirstTry == 4)
    #expect(abs(count.meanCredit - 0.75) < 1e-12)
    #expect(abs(try #require(count.pointBiserial) - -0.316228) < 1e-6)
    #expect(count.upperLower == -0.5)
}

@Test("mistakes are counted in learners and named by the entry matched or the option picked")
func classOfSixMistakes() throws {
    let analysis = ItemAnalysis(try classOfSix())
    let items = Dictionary(uniqueKeysWithValues: analysis.items.map { ($0.id, $0) })
    #expect(items["width"]?.counts == [
        .init(label: "wrong: 512", learners: 2, distractor: false),
        .init(label: "wrong: 4096", learners: 0, distractor: false),
    ])
    #expect(items["why"]?.counts == [
        .init(label: "picked: \"More parameters.\"", learners: 3, distractor: true),
        .init(label: "picked: \"One head sees one token only.\"", learners: 0, distractor: true),
    ])
    #expect(items["width"]?.unanticipated.map(\.entry) == ["- {answer: '100', feedback: '\(Suggester.draft)'}"])
    #expect(items["count"]?.unanticipated.map(\.learners) == [1, 1], "learner f typed 9 three times and counts once")
    #expect(items["count"]?.unanticipated.map(\.answer) == ["7", "9"])
}

@Test("the class of six is flagged where a teacher should look: two negative discriminations and an unused distractor")
func classOfSixFlags() throws {
    let analysis = ItemAnalysis(try classOfSix())
    let flags = Dictionary(uniqueKeysWithValues: analysis.items.map { ($0.id, $0.flags) })
    #expect(flags["width"] == [.negativeDiscrimination])
    #expect(flags["why"] == [.unusedDistractor("\"One head sees one token only.\"")])
    #expect(flags["count"] == [.negativeDiscrimination])
}

@Test("the item CSV has one row per exercise with its figures and flags")
func itemCSV() throws {
    let analysis = ItemAnalysis(try classOfSix())
    #expect(analysis.csv == """
    id,kind,learners,right_first_try,difficulty,mean_credit,point_biserial,upper_lower,flags,most_common_mistake
    width,number,6,3,0.50,0.67,-0.12,0.00,negative-discrimination,wrong: 512 (2)
    why,choice,6,3,0.50,0.50,0.73,1.00,unused-distractor,"picked: ""More parameters."" (3)"
    count,number,6,4,0.67,0.75,-0.32,-0.50,negative-discrimination,unanticipated: 7 (1)

    """)
}

@Test("everyone right gives no point-biserial (it is undefined), and flags the item easy")
func everyoneRight() throws {
    let exercises = try bank()
    let learners = (0..<10).map { LearnerAnswers(learner: "l\($0)", attempts: [.init(exercise: "width", seed: 1, answer: "64")]) }
    let item = try #require(ItemAnalysis(ClassGrades.grade(learners, bank: exercises)).items.first)
    #expect(item.pointBiserial == nil)
    #expect(item.flags == [.easy])
}

@Test("a class of 30 on parameterised exercises: every figure agrees with one recomputed here from the answers given")
func classOfThirty() throws {
    let valid = try Fixtures.valid()
    let ids = ["dk-from-d-model", "name-of-concat", "why-several-heads", "what-heads-share"]
    let exercises = try ids.map { try #require(valid[$0]) }
    var random = SplitMix(seed: 30)
    var learners: [LearnerAnswers] = []
    // credit[learner][item] and firstTry[learner][item], worked out here from how each answer was chosen.
    var credit: [[Double]] = []
    var first: [[Bool]] = []
    for number in 0..<30 {
        var attempts: [LearnerAnswers.Attempt] = []
        var credits: [Double] = []
        var firsts: [Bool] = []
        let ability = Double(number) / 29
        for exercise in exercises {
            let seed = random.next() & 0xFFFF
            let question = try Question.make(exercise, space: try VariantSpace.build(for: exercise).get(), seed: seed).get()
            let wrongAnswer: String
            switch question.expected {
            case .number(let key, _): wrongAnswer = String(Int(key) + 1000)
            case .choice(let index): wrongAnswer = PresentedOption.letter((index + 1) % question.options.count)
            case .multi(let right): wrongAnswer = PresentedOption.letter(question.options.indices.first { !right.contains($0) } ?? 0)
            default: wrongAnswer = "not a phrase anyone accepts"
            }
            // Stronger learners more often right at once; the rest right at the second try or never.
            let roll = Double(random.next() % 1000) / 1000
            let wrongTries = roll < ability ? 0 : (roll < ability + 0.3 ? 1 : exercise.attempts)
            for _ in 0..<min(wrongTries, exercise.attempts) { attempts.append(.init(exercise: exercise.id, seed: seed, answer: wrongAnswer)) }
            if wrongTries < exercise.attempts { attempts.append(.init(exercise: exercise.id, seed: seed, answer: question.answerText)) }
            credits.append(wrongTries >= exercise.attempts ? 0 : 1 / pow(2, Double(wrongTries)))
            firsts.append(wrongTries == 0)
        }
        learners.append(LearnerAnswers(learner: String(format: "s%02d", number), attempts: attempts))
        credit.append(credits)
        first.append(firsts)
    }
    let grades = ClassGrades.grade(learners, bank: exercises)
    #expect(grades.rows.count == 30)
    let analysis = ItemAnalysis(grades)
    #expect(analysis.items.map(\.id) == ids)
    for (column, item) in analysis.items.enumerated() {
        let x = first.map { $0[column] ? 1.0 : 0.0 }
        let rest = credit.map { $0.reduce(0, +) - $0[column] }
        #expect(item.rightFirstTry == x.filter { $0 == 1 }.count)
        #expect(abs(item.meanCredit - credit.map { $0[column] }.reduce(0, +) / 30) < 1e-12)
        // Pearson's r from sums of products, a different route from the point-biserial formula.
        let mx = x.reduce(0, +) / 30, mr = rest.reduce(0, +) / 30
        let sxy = zip(x, rest).map { ($0 - mx) * ($1 - mr) }.reduce(0, +)
        let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +), syy = rest.map { ($0 - mr) * ($0 - mr) }.reduce(0, +)
        let r = sxy / (sxx * syy).squareRoot()
        #expect(abs(try #require(item.pointBiserial) - r) < 1e-9, "\(item.id)")
        // Upper and lower 8 (27% of 30) by rest score, ties by learner name.
        let order = (0..<30).sorted { rest[$0] != rest[$1] ? rest[$0] > rest[$1] : $0 < $1 }
        let upper = order.prefix(8).map { x[$0] }.reduce(0, +) / 8, lower = order.suffix(8).map { x[$0] }.reduce(0, +) / 8
        #expect(item.groupSize == 8)
        #expect(abs(try #require(item.upperLower) - (upper - lower)) < 1e-12, "\(item.id)")
    }
}

@Test("an unknown exercise id is warned about and the learner's other answers are still graded")
func unknownExerciseKeepsTheRest() throws {
    let exercises = try bank()
    let grades = ClassGrades.grade([LearnerAnswers(learner: "x", attempts: [.init(exercise: "widht", seed: 1, answer: "64", line: 3),
                                                                          .init(exercise: "count", seed: 1, answer: "8")])], bank: exercises)
    #expect(grades.rows.first?.scores == ["count": 1])
    #expect(grades.warnings.map(\.message) == ["exercise `widht` is not in the exercise files; did you mean `width`?; its answers were not graded"])
    #expect(grades.warnings.first?.line == 3)
}

@Test("two files with the same learner id: the second is skipped and both are named")
func duplicateLearner() throws {
    var one = LearnerAnswers(learner: "alice", attempts: [.init(exercise: "count", seed: 1, answer: "8")])
    one.file = "alice.txt"
    var two = one
    two.file = "alice.jsonl"
    let grades = ClassGrades.grade([one, two], bank: try bank())
    #expect(grades.rows.count == 1)
    #expect(grades.skipped.first?.name == "alice.jsonl")
    #expect(grades.skipped.first?.reason.contains("alice.txt") == true)
}

@Test("grading credits a question exactly as a practice run does, for random answer sequences")
func creditMatchesPractice() throws {
    let exercises = try bank()
    var random = SplitMix(seed: 7)
    let pool = ["64", "512", "4096", "100", "?!", "[1, 2]", "skip"]
    for _ in 0..<200 {
        let exercise = exercises[Int(random.next() % 3)]
        let question = try Question.make(exercise, space: try VariantSpace.build(for: exercise).get(), seed: 1).get()
        let answers = (0..<Int(random.next() % 5)).map { _ in
            exercise.kind == .choice ? PresentedOption.letter(Int(random.next() % 3)) : pool[Int(random.next() % 6)]
        }
        var run = QuestionRun(question: question)
        for answer in answers where !run.isFinished { _ = run.respond(to: answer) }
        run.end()
        let practice = Credit.value(best: run.score, attempts: run.attemptsUsed, hints: 0)
        let graded = ClassGrades.grade([LearnerAnswers(learner: "x", attempts: answers.map { .init(exercise: exercise.id, seed: 1, answer: $0) })], bank: exercises)
        #expect((graded.rows.first?.scores[exercise.id] ?? 0) == practice, "\(exercise.id) \(answers)")
    }
}

@Test("a session seed gives each question the variant seed a practice session with that seed poses")
func sessionSeedRead() throws {
    let read = try LearnerAnswers.read("session-seed: 7\nwidth: 64\nvariant-seed: 9\ncount: 8\n", learner: "x").get()
    #expect(read.attempts.map(\.seed) == [VariantSpace.sessionVariantSeed(session: 7, exerciseID: "width"), 9])
}

@Test("a seed too large for 64 bits says it is out of range")
func seedOutOfRange() {
    guard case .failure(let error) = LearnerAnswers.read("seed: 99999999999999999999999\nwidth: 64\n", learner: "x") else {
        Issue.record("read a seed that does not fit")
        return
    }
    #expect(error.message.contains("out of range"))
}

@Test("the report's block for the class of six's `width` reads as docs/authoring.md shows it")
func classOfSixReport() throws {
    let text = ItemAnalysis(try classOfSix()).text
    #expect(text.contains("""

    width (number, 6 learners)
      difficulty: 3 of 6 right at the first try (0.50), mean credit 0.67
      discrimination: point-biserial -0.12, upper − lower 27% 0.00 (2 in each group)
      wrong: 512   2 learners
      wrong: 4096  0 learners
      unanticipated: 100: 1 learner; to catch it, add under wrong:
          - {answer: '100', feedback: '(what this answer misunderstands, for the learner)'}
      flag: negative discrimination: learners who did better on the rest missed it more; the key or the prompt may be wrong

    """), "\(text)")
    let guide = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/authoring.md"), encoding: .utf8)
    #expect(guide.contains("width (number, 6 learners)\n  difficulty: 3 of 6 right at the first try (0.50), mean credit 0.67\n"))
}
