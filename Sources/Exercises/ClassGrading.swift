import Foundation
import LiveValues
import ExpressionLanguage
import Support

/// One learner's answers as read from a file: every attempt, in order.
public struct LearnerAnswers: Sendable {
    /// One typed answer to the variant of `exercise` drawn with `seed`.
    public struct Attempt: Sendable, Equatable {
        public var exercise: String
        /// The variant seed (a `session-seed:` line is turned into each question's variant seed when read).
        public var seed: UInt64
        public var answer: String
        /// The line of the file it was read from (0 when not from a file).
        public var line: Int

        public init(exercise: String, seed: UInt64, answer: String, line: Int = 0) {
            self.exercise = exercise
            self.seed = seed
            self.answer = answer
            self.line = line
        }

        public static func == (a: Attempt, b: Attempt) -> Bool {
            a.exercise == b.exercise && a.seed == b.seed && a.answer == b.answer
        }
    }

    /// The learner's id (the file name without its extension).
    public var learner: String
    /// The attempts, in the order given.
    public var attempts: [Attempt]
    /// Hints the learner asked for, by question (`id#seed`), as a transcript's `hints_used` gives them.
    public var hints: [String: Int] = [:]
    /// The file they were read from, for messages (the learner id when not set).
    public var file = ""

    public init(learner: String, attempts: [Attempt], hints: [String: Int] = [:]) {
        self.learner = learner
        self.attempts = attempts
        self.hints = hints
    }

    /// The largest answers file read.
    public static let maximumBytes = 4 << 20

    /// The first line of a file `mhalearn assign` writes that is not an answers file (a sheet).
    public static let sheetMarker = "# mhalearn assignment sheet"

    /// The key of one question: exercise id and variant seed.
    static func questionKey(_ id: String, _ seed: UInt64) -> String { "\(id)#\(seed)" }

    /// Reads a `practice --json` transcript (JSON lines; `attempt` lines give id, seed and answer)
    /// or a plain answers file (`variant-seed: N` or `session-seed: N` lines, then `ID: answer`
    /// lines), or says why it cannot.
    ///
    /// In a plain file, `variant-seed: N` (or `seed: N`) is the seed of each question below it, as
    /// text practice shows it beside the question and as `mhalearn assign` writes it; `session-seed: N`
    /// is the seed a whole `practice --seed N` session was drawn with, from which each exercise's
    /// variant seed follows (`VariantSpace.sessionVariantSeed`).
    public static func read(_ text: String, learner: String) -> Result<LearnerAnswers, AnswersFileError> {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let firstContent = lines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var attempts: [Attempt] = []
        var hints: [String: Int] = [:]
        if firstContent?.trimmingCharacters(in: .whitespaces).hasPrefix("{") == true {
            // A `result` line lists every answer to its question; `attempt` lines count only for a
            // question whose result is missing (a transcript cut short).
            var pending: [Attempt] = []
            for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                    return .failure(AnswersFileError(line: number + 1, "not a JSON object; a transcript is the output of `mhalearn practice --json`"))
                }
                let type = object["type"] as? String
                guard type == "attempt" || type == "result" else { continue }
                guard let id = object["id"] as? String,
                      let seed = (object["seed"] as? NSNumber).flatMap({ UInt64(exactly: $0.int64Value) }) else {
                    return .failure(AnswersFileError(line: number + 1, "a `\(type ?? "")` line needs `id` and `seed` (a whole number)"))
                }
                if type == "attempt" {
                    guard let answer = object["answer"] as? String else {
                        return .failure(AnswersFileError(line: number + 1, "an `attempt` line needs `answer` (text)"))
                    }
                    pending.append(Attempt(exercise: id, seed: seed, answer: answer, line: number + 1))
                    continue
                }
                guard let list = object["attempts"] as? [[String: Any]] else {
                    return .failure(AnswersFileError(line: number + 1, "a `result` line needs `attempts`, a list of {answer: …}"))
                }
                pending.removeAll { $0.exercise == id && $0.seed == seed }
                for item in list {
                    guard let answer = item["answer"] as? String else {
                        return .failure(AnswersFileError(line: number + 1, "each of `attempts` needs `answer` (text)"))
                    }
                    attempts.append(Attempt(exercise: id, seed: seed, answer: answer, line: number + 1))
                }
                if let used = (object["hints_used"] as? NSNumber)?.intValue, used > 0 {
                    hints[questionKey(id, seed), default: 0] += min(used, 100)
                }
            }
            attempts += pending
        } else {
            enum SeedKind { case variant, session }
            var seed: (value: UInt64, kind: SeedKind)?
            for (number, raw) in lines.enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    return .failure(AnswersFileError(line: number + 1, "expected `variant-seed: N`, `session-seed: N` or `exercise-id: answer`"))
                }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if key == "seed" || key == "variant-seed" || key == "session-seed" {
                    guard let parsed = UInt64(value) else {
                        let digits = !value.isEmpty && value.allSatisfy(\.isNumber)
                        return .failure(AnswersFileError(line: number + 1, digits
                            ? "`\(key)` \(value.prefix(30)) is out of range: a seed is at most \(UInt64.max)"
                            : "`\(key)` must be a whole number zero or above, as `practice` printed it"))
                    }
                    seed = (parsed, key == "session-seed" ? .session : .variant)
                    continue
                }
                if key == "learner" || key == "name" { continue }
                guard key.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil else {
                    return .failure(AnswersFileError(line: number + 1, "`\(key.prefix(40))` is not an exercise id"))
                }
                guard let seed else {
                    return .failure(AnswersFileError(line: number + 1, "an answer before any seed line; write `variant-seed: N` (the seed practice shows beside the question) or `session-seed: N` (the seed of a whole practice session) first"))
                }
                let variant = seed.kind == .variant ? seed.value : VariantSpace.sessionVariantSeed(session: seed.value, exerciseID: key)
                // A template's empty answer line is a question left unanswered, not an answer.
                if value.isEmpty { continue }
                attempts.append(Attempt(exercise: key, seed: variant, answer: value, line: number + 1))
            }
        }
        if attempts.isEmpty { return .failure(AnswersFileError(line: 1, "no answers in the file")) }
        return .success(LearnerAnswers(learner: learner, attempts: attempts, hints: hints))
    }
}

/// Why an answers file was skipped: a line and a sentence.
public struct AnswersFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// A mistake a learner made on one item, as the item analysis counts it.
public enum Mistake: Hashable, Sendable, Comparable {
    /// A `wrong` entry (0-based, file order) the answer matched.
    case wrongEntry(Int)
    /// A wrong option picked (0-based, file order).
    case picked(Int)
    /// A right option left out of a `multi` answer (0-based, file order).
    case missed(Int)
    /// A value no `wrong` entry anticipated, by the `wrong` entry that would catch it.
    case unanticipated(Suggestion)
    /// An answer that does not fit the question (a shape for a number, say).
    case misfit

    /// An entry an instructor can paste under `wrong:` to catch an unanticipated value, with the
    /// value as the learner gave it in one variant. Two suggestions are the same when their entries are.
    public struct Suggestion: Hashable, Sendable, Comparable {
        /// What the entry catches: its `answer` expression or `text` phrase (`d_model * h`).
        public var answer: String
        /// The value as given, with the variant it was given in (`4096 with d_model = 512, h = 8`).
        public var example: String
        /// The entry, one line of YAML: `- {answer: 'd_model * h', feedback: '…'}`.
        public var entry: String

        public static func == (a: Suggestion, b: Suggestion) -> Bool { a.entry == b.entry }
        public func hash(into hasher: inout Hasher) { hasher.combine(entry) }
        public static func < (a: Suggestion, b: Suggestion) -> Bool { a.entry < b.entry }
    }
}

/// Grades a class: each learner's attempts re-graded against the exercises (a file's own grades
/// are never trusted), credit counted as practice counts it, and what each learner got wrong.
public struct ClassGrades: Sendable {
    /// What one learner did on one item (exercise).
    public struct Response: Sendable {
        /// The credit (see `Credit`): 1 right at the first try without a hint, halved per retry and hint.
        public var credit: Double
        /// Right at the first graded try without a hint.
        public var firstTry: Bool
        /// The variant (index in the exercise's variant space; -1 without parameters).
        public var combination: Int
        /// The variant's parameters, for messages (`d_model = 512, h = 8`).
        public var variant: String
        /// Every mistake made, once each.
        public var mistakes: Set<Mistake>
    }

    /// One learner's results.
    public struct Row: Sendable {
        public var learner: String
        /// Per exercise id: the credit of the question (the best when posed more than once), 0…1.
        public var scores: [String: Double]
        /// Per exercise id: whether the first question of it was right at the first try without a hint.
        public var firstTry: [String: Bool]
        /// Per exercise id: what the learner did (the first question of it; mistakes of every one).
        public var responses: [String: Response] = [:]

        public var total: Double { scores.values.reduce(0, +) }
        public var firstTryTotal: Int { firstTry.values.filter { $0 }.count }
    }

    /// One exercise's results across the class.
    public struct ExerciseSummary: Sendable {
        public var id: String
        public var learners = 0
        public var rightFirstTry = 0
        /// Learners (not attempts) who made each mistake, by label.
        public var misconceptions: [String: Int] = [:]

        /// The misconception most learners made (ties: the first by name), with its count.
        public var mostCommon: (label: String, count: Int)? {
            misconceptions.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.first.map { ($0.key, $0.value) }
        }
    }

    /// Something worth telling the instructor that did not stop a file from being graded.
    public struct Warning: Sendable, Equatable {
        /// The file (name as listed).
        public var file: String
        /// The line, when one is to blame.
        public var line: Int?
        public var message: String
        /// Whether answers were left ungraded because of it (grade then exits 1).
        public var lostAnswers: Bool
    }

    public var rows: [Row] = []
    public var exercises: [String: ExerciseSummary] = [:]
    /// Files skipped, by name, with the reason.
    public var skipped: [(name: String, reason: String)] = []
    /// Problems in files that were graded all the same.
    public var warnings: [Warning] = []

    /// The exercise ids that appear, in bank order.
    public var columns: [String] = []
    /// The exercises graded, by id.
    public var bank: [String: Exercise] = [:]

    /// Grades `learners` against `bank`. An exercise id not in the bank is warned about and its
    /// answers left out; the learner's other answers are graded.
    public static func grade(_ learners: [LearnerAnswers], bank: [Exercise]) -> ClassGrades {
        var result = ClassGrades()
        let byID = Dictionary(bank.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var cache = GradingCache()
        var seen = Set<String>()
        var learnerFiles: [String: String] = [:]
        for learner in learners {
            let file = learner.file.isEmpty ? learner.learner : learner.file
            if let other = learnerFiles[learner.learner] {
                result.skipped.append((file, "learner id `\(learner.learner)` is also \(other)'s; one learner, one file (rename or merge them)"))
                continue
            }
            learnerFiles[learner.learner] = file
            var row = Row(learner: learner.learner, scores: [:], firstTry: [:])
            // The attempts of each question (exercise and variant seed), in the order first given.
            var order: [String] = []
            var byQuestion: [String: [LearnerAnswers.Attempt]] = [:]
            var unknown: [String: Int] = [:]
            for attempt in learner.attempts {
                guard byID[attempt.exercise] != nil else {
                    if unknown[attempt.exercise] == nil { unknown[attempt.exercise] = attempt.line }
                    continue
                }
                let key = LearnerAnswers.questionKey(attempt.exercise, attempt.seed)
                if byQuestion[key] == nil { order.append(key) }
                byQuestion[key, default: []].append(attempt)
            }
            for (id, line) in unknown.sorted(by: { $0.value < $1.value }) {
                let guess = closest(id, in: byID.keys.sorted()).map { "; did you mean `\($0)`?" } ?? ""
                result.warnings.append(Warning(file: file, line: line > 0 ? line : nil,
                                               message: "exercise `\(id)` is not in the exercise files\(guess); its answers were not graded", lostAnswers: true))
            }
            for key in order {
                guard let attempts = byQuestion[key], let first = attempts.first, let exercise = byID[first.exercise] else { continue }
                guard let question = cache.question(exercise, seed: first.seed) else {
                    result.warnings.append(Warning(file: file, line: nil,
                        message: "exercise `\(exercise.id)` cannot be drawn at seed \(first.seed); run `mhalearn check` on it; its answers were not graded", lostAnswers: true))
                    continue
                }
                let graded = attempts.map { cache.grade(String($0.answer.prefix(1000)), question: question) }
                let replay = Credit.replay(graded.map(\.grade), allowed: exercise.attempts)
                guard replay.used > 0 else {
                    if let misfit = graded.first(where: { $0.misfit }) {
                        let line = attempts[graded.firstIndex { $0.misfit } ?? 0].line
                        result.warnings.append(Warning(file: file, line: line > 0 ? line : nil,
                            message: "`\(exercise.id)`: the answer `\(misfit.typed.prefix(40))` does not fit this question (\(misfit.grade.feedback.first ?? ""))", lostAnswers: false))
                    }
                    continue
                }
                let hints = learner.hints[key] ?? 0
                let credit = Credit.value(best: replay.score, attempts: replay.used, hints: hints)
                var mistakes = Set<Mistake>()
                for item in graded.prefix(replay.counted) where item.grade.outcome != .correct && item.grade.outcome != .unreadable {
                    mistakes.formUnion(item.mistakes)
                }
                for (index, item) in graded.prefix(replay.counted).enumerated() where item.misfit {
                    let line = attempts[index].line
                    result.warnings.append(Warning(file: file, line: line > 0 ? line : nil,
                        message: "`\(exercise.id)`: the answer `\(item.typed.prefix(40))` does not fit this question (\(item.grade.feedback.first ?? ""))", lostAnswers: false))
                }
                let response = Response(credit: credit, firstTry: replay.firstCorrect && hints == 0, combination: question.combination,
                                        variant: VariantSpace.describe(question.question.bindings, order: exercise.given.map(\.name)),
                                        mistakes: mistakes)
                if var earlier = row.responses[exercise.id] {
                    earlier.mistakes.formUnion(mistakes)
                    row.responses[exercise.id] = earlier
                    row.scores[exercise.id] = max(row.scores[exercise.id] ?? 0, credit)
                } else {
                    row.responses[exercise.id] = response
                    row.scores[exercise.id] = credit
                    row.firstTry[exercise.id] = response.firstTry
                }
                seen.insert(exercise.id)
            }
            result.rows.append(row)
        }
        result.columns = bank.map(\.id).filter { seen.contains($0) }
        result.bank = byID.filter { seen.contains($0.key) }
        for id in result.columns {
            guard let exercise = byID[id] else { continue }
            var summary = ExerciseSummary(id: id)
            for row in result.rows {
                guard let response = row.responses[id] else { continue }
                summary.learners += 1
                if response.firstTry { summary.rightFirstTry += 1 }
                for mistake in response.mistakes { summary.misconceptions[label(mistake, exercise: exercise), default: 0] += 1 }
            }
            result.exercises[id] = summary
        }
        return result
    }

    /// How a mistake is named in reports: `wrong: d_model * h`, `picked: "…"`, `missed: "…"`,
    /// `unanticipated: d_model * h`.
    public static func label(_ mistake: Mistake, exercise: Exercise) -> String {
        switch mistake {
        case .wrongEntry(let index):
            guard exercise.wrong.indices.contains(index) else { return "wrong entry \(index + 1)" }
            return "wrong: " + (exercise.wrong[index].expression?.value ?? exercise.wrong[index].text?.value ?? "")
        case .picked(let index):
            return "picked: \"\(optionText(index, exercise: exercise))\""
        case .missed(let index):
            return "missed: \"\(optionText(index, exercise: exercise))\""
        case .unanticipated(let suggestion):
            return "unanticipated: \(suggestion.answer)"
        case .misfit:
            return "answer that does not fit"
        }
    }

    /// An option's text as written (one line, at most 60 characters).
    static func optionText(_ index: Int, exercise: Exercise) -> String {
        guard exercise.options.indices.contains(index) else { return "option \(index + 1)" }
        let text = exercise.options[index].text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return text.count > 60 ? String(text.prefix(59)) + "…" : text
    }

    /// The CSV: `learner,score,first_try,<id>…`, one row per learner; blank where not attempted.
    public var csv: String {
        var text = (["learner", "score", "first_try"] + columns).map(Self.field).joined(separator: ",") + "\n"
        for row in rows {
            var fields = [Self.field(row.learner), Self.number(row.total), String(row.firstTryTotal)]
            fields += columns.map { id in row.scores[id].map(Self.number) ?? "" }
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The report: how many were graded, then the item analysis of each exercise.
    public var report: String {
        var text = "Graded \(rows.count) learner\(rows.count == 1 ? "" : "s")"
        text += skipped.isEmpty ? ".\n" : "; skipped \(skipped.count) file\(skipped.count == 1 ? "" : "s").\n"
        return text + ItemAnalysis(self).text
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.2f", value)
    }

    /// A CSV field, quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@`
    /// is prefixed with `'` so a spreadsheet does not run it as a formula.
    static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

/// Variant spaces, questions and grades shared by learners who drew the same variant or typed the
/// same answer, so a class of a thousand grades in about the time of its distinct answers.
struct GradingCache {
    struct Drawn {
        var question: Question
        var combination: Int
        var key: String
    }

    struct Graded {
        var typed: String
        var grade: Grade
        var mistakes: Set<Mistake>
        var misfit: Bool
    }

    private var spaces: [String: VariantSpace?] = [:]
    private var questions: [String: Question] = [:]
    private var grades: [String: Graded] = [:]

    /// Variant `seed` of `exercise`, or nil when it cannot be drawn.
    mutating func question(_ exercise: Exercise, seed: UInt64) -> Drawn? {
        let space: VariantSpace
        if let known = spaces[exercise.id] {
            guard let known else { return nil }
            space = known
        } else {
            let built = try? VariantSpace.build(for: exercise).get()
            spaces[exercise.id] = .some(built)
            guard let built else { return nil }
            space = built
        }
        // A number, shape or text question depends only on the combination drawn, so learners who
        // drew the same one share it (and the grades of the same answer); choice and multi also
        // depend on the option order the seed gives (drawn as `Question.make` draws it).
        let combination = space.drawIndex(seed: seed, exerciseID: exercise.id) ?? -1
        var key = "\(exercise.id)#c\(combination)"
        if exercise.kind == .choice || exercise.kind == .multi {
            var generator = SeededGenerator(seed: seed, label: "options:" + exercise.id)
            key += "o" + generator.shuffled(Array(exercise.options.indices)).map(String.init).joined(separator: ".")
        }
        if let known = questions[key] { return Drawn(question: known, combination: combination, key: key) }
        guard case .success(let made) = Question.make(exercise, space: space, seed: seed) else { return nil }
        questions[key] = made
        return Drawn(question: made, combination: combination, key: key)
    }

    /// The grade of `typed` for `drawn`, with the mistakes it shows.
    mutating func grade(_ typed: String, question drawn: Drawn) -> Graded {
        let cacheKey = drawn.key + "\u{1F}" + typed
        if let known = grades[cacheKey] { return known }
        let question = drawn.question
        let reading = AnswerReader.read(typed, for: question)
        let grade = Grader.grade(reading, for: question)
        var mistakes = Set<Mistake>()
        var misfit = false
        if grade.outcome == .unreadable, grade.feedback.first == Grader.misfitSentence {
            misfit = true
        } else if grade.outcome != .correct && grade.outcome != .unreadable {
            if let index = grade.matchedWrong {
                mistakes.insert(.wrongEntry(index))
            } else if case .choices(let picked) = reading {
                for index in picked where question.options.indices.contains(index) && !question.options[index].correct {
                    mistakes.insert(.picked(question.options[index].originalIndex))
                }
                if question.exercise.kind == .multi {
                    for index in question.options.indices where question.options[index].correct && !picked.contains(index) {
                        mistakes.insert(.missed(question.options[index].originalIndex))
                    }
                }
            } else if let suggestion = Suggester.suggest(reading, typed: typed, question: question) {
                mistakes.insert(.unanticipated(suggestion))
            }
        }
        let graded = Graded(typed: typed, grade: grade, mistakes: mistakes, misfit: misfit)
        if grades.count < 1_000_000 { grades[cacheKey] = graded }
        return graded
    }
}
