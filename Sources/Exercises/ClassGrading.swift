import Foundation
import LiveValues
import ExpressionLanguage

/// One learner's answers as read from a file: every attempt, in order.
public struct LearnerAnswers: Sendable {
    /// One typed answer to the variant of `exercise` drawn with `seed`.
    public struct Attempt: Sendable, Equatable {
        public var exercise: String
        public var seed: UInt64
        public var answer: String

        public init(exercise: String, seed: UInt64, answer: String) {
            self.exercise = exercise
            self.seed = seed
            self.answer = answer
        }
    }

    /// The learner's id (the file name without its extension).
    public var learner: String
    /// The attempts, in the order given.
    public var attempts: [Attempt]
    /// The file they were read from, for messages (the learner id when not set).
    public var file = ""

    /// The largest answers file read.
    public static let maximumBytes = 4 << 20

    /// Reads a `practice --json` transcript (JSON lines; `attempt` lines give id, seed and answer)
    /// or a plain answers file (`seed: N` lines, then `ID: answer` lines), or says why it cannot.
    public static func read(_ text: String, learner: String) -> Result<LearnerAnswers, AnswersFileError> {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let firstContent = lines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var attempts: [Attempt] = []
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
                    pending.append(Attempt(exercise: id, seed: seed, answer: answer))
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
                    attempts.append(Attempt(exercise: id, seed: seed, answer: answer))
                }
            }
            attempts += pending
        } else {
            var seed: UInt64?
            for (number, raw) in lines.enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    return .failure(AnswersFileError(line: number + 1, "expected `seed: N` or `exercise-id: answer`"))
                }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if key == "seed" {
                    guard let parsed = UInt64(value) else {
                        return .failure(AnswersFileError(line: number + 1, "`seed` must be a whole number zero or above, as `practice` printed it"))
                    }
                    seed = parsed
                    continue
                }
                guard key.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil else {
                    return .failure(AnswersFileError(line: number + 1, "`\(key.prefix(40))` is not an exercise id"))
                }
                guard let seed else {
                    return .failure(AnswersFileError(line: number + 1, "an answer before any `seed: N` line; give the seed the questions were drawn with first"))
                }
                attempts.append(Attempt(exercise: key, seed: seed, answer: value))
            }
        }
        if attempts.isEmpty { return .failure(AnswersFileError(line: 1, "no answers in the file")) }
        return .success(LearnerAnswers(learner: learner, attempts: attempts))
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

/// Grades a class: each learner's attempts re-graded against the exercises (a file's own grades
/// are never trusted), per-exercise scores, first-try scores, and the misconceptions hit.
public struct ClassGrades: Sendable {
    /// One learner's results.
    public struct Row: Sendable {
        public var learner: String
        /// Per exercise id: the best score over the counted attempts (0…1).
        public var scores: [String: Double]
        /// Per exercise id: whether the first counted attempt was correct.
        public var firstTry: [String: Bool]

        public var total: Double { scores.values.reduce(0, +) }
        public var firstTryTotal: Int { firstTry.values.filter { $0 }.count }
    }

    /// One exercise's results across the class.
    public struct ExerciseSummary: Sendable {
        public var id: String
        public var learners = 0
        public var rightFirstTry = 0
        /// Wrong answers by misconception: a `wrong` entry (`wrong: EXPR`) or `unanticipated`.
        public var misconceptions: [String: Int] = [:]

        /// The misconception hit most often (ties: the first by name), with its count.
        public var mostCommon: (label: String, count: Int)? {
            misconceptions.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.first.map { ($0.key, $0.value) }
        }
    }

    public var rows: [Row] = []
    public var exercises: [String: ExerciseSummary] = [:]
    /// Files skipped, by name, with the reason.
    public var skipped: [(name: String, reason: String)] = []

    /// The exercise ids that appear, in bank order.
    public var columns: [String] = []

    /// Grades `learners` against `bank`; a learner naming an exercise not in the bank is skipped whole.
    public static func grade(_ learners: [LearnerAnswers], bank: [Exercise]) -> ClassGrades {
        var result = ClassGrades()
        let byID = Dictionary(bank.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var spaces: [String: VariantSpace] = [:]
        var questions: [String: Question] = [:]
        var grades: [String: Grade] = [:]
        var seen = Set<String>()
        for learner in learners {
            if let unknown = learner.attempts.first(where: { byID[$0.exercise] == nil }) {
                result.skipped.append((learner.file.isEmpty ? learner.learner : learner.file, "exercise `\(unknown.exercise)` is not in the exercise files"))
                continue
            }
            var row = Row(learner: learner.learner, scores: [:], firstTry: [:])
            var used: [String: Int] = [:]
            var skipReason: String?
            for attempt in learner.attempts {
                guard let exercise = byID[attempt.exercise] else { continue }
                let space: VariantSpace
                if let known = spaces[exercise.id] {
                    space = known
                } else if case .success(let built) = VariantSpace.build(for: exercise) {
                    space = built
                    spaces[exercise.id] = built
                } else {
                    skipReason = "exercise `\(exercise.id)` cannot be drawn; run `mhalearn check` on it"
                    break
                }
                // A number, shape or text question depends only on the combination drawn, so learners
                // who drew the same one share it (and the grades of the same answer); choice and multi
                // also depend on the option order the seed gives (drawn as `Question.make` draws it).
                let orderMatters = exercise.kind == .choice || exercise.kind == .multi
                var variant = "\(exercise.id)#c\(space.drawIndex(seed: attempt.seed, exerciseID: exercise.id) ?? -1)"
                if orderMatters {
                    var generator = SeededGenerator(seed: attempt.seed, label: "options:" + exercise.id)
                    variant += "o" + generator.shuffled(Array(exercise.options.indices)).map(String.init).joined(separator: ".")
                }
                let question: Question
                if let known = questions[variant] {
                    question = known
                } else if case .success(let made) = Question.make(exercise, space: space, seed: attempt.seed) {
                    question = made
                    questions[variant] = made
                } else {
                    skipReason = "exercise `\(exercise.id)` fails at seed \(attempt.seed); run `mhalearn check` on it"
                    break
                }
                let typed = String(attempt.answer.prefix(1000))
                let grade: Grade
                if let known = grades[variant + "\u{1F}" + typed] {
                    grade = known
                } else {
                    grade = Grader.grade(typed, for: question)
                    if grades.count < 1_000_000 { grades[variant + "\u{1F}" + typed] = grade }
                }
                guard grade.outcome != .unreadable, used[exercise.id, default: 0] < exercise.attempts,
                      row.scores[exercise.id] != 1 else { continue }
                used[exercise.id, default: 0] += 1
                var summary = result.exercises[exercise.id] ?? ExerciseSummary(id: exercise.id)
                if row.firstTry[exercise.id] == nil {
                    row.firstTry[exercise.id] = grade.outcome == .correct
                    summary.learners += 1
                    if grade.outcome == .correct { summary.rightFirstTry += 1 }
                }
                row.scores[exercise.id] = max(row.scores[exercise.id] ?? 0, grade.score)
                if grade.outcome != .correct {
                    let label = grade.matchedWrong.flatMap { index in
                        exercise.wrong.indices.contains(index) ? exercise.wrong[index] : nil
                    }.map { "wrong: " + ($0.expression?.value ?? $0.text?.value ?? "") } ?? "unanticipated"
                    summary.misconceptions[label, default: 0] += 1
                }
                result.exercises[exercise.id] = summary
                seen.insert(exercise.id)
            }
            if let skipReason {
                result.skipped.append((learner.file.isEmpty ? learner.learner : learner.file, skipReason))
                continue
            }
            result.rows.append(row)
        }
        result.columns = bank.map(\.id).filter { seen.contains($0) }
        return result
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

    /// The report: per exercise, how many got it right first try and the misconception hit most often.
    public var report: String {
        var text = "Graded \(rows.count) learner\(rows.count == 1 ? "" : "s")"
        text += skipped.isEmpty ? ".\n" : "; skipped \(skipped.count) file\(skipped.count == 1 ? "" : "s").\n"
        for id in columns {
            guard let summary = exercises[id] else { continue }
            text += "\(id): \(summary.rightFirstTry) of \(summary.learners) right first try"
            if let common = summary.mostCommon {
                text += "; most common mistake: \(common.label) (\(common.count)×)"
            }
            text += "\n"
        }
        return text
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
