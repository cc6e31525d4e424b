import Foundation
import LiveValues
import ExpressionLanguage

/// A class list: one learner a row, the id first (a file name: letters, digits, `.`, `_`, `-`),
/// then optionally a name. A first row whose first field is `id`, `learner`, `student` or
/// `username` is a header, and its `name` column (if any) gives the names.
public struct Roster: Sendable, Equatable {
    /// One learner.
    public struct Learner: Sendable, Equatable {
        public var id: String
        public var name: String?

        public init(id: String, name: String? = nil) {
            self.id = id
            self.name = name
        }
    }

    public var learners: [Learner]

    /// The most learners a roster may list.
    public static let maximumLearners = 10_000

    /// Reads CSV `text`, or says at which line it is wrong.
    public static func read(_ text: String) -> Result<Roster, AnswersFileError> {
        var learners: [Learner] = []
        var seen: [String: Int] = [:]
        var nameColumn: Int? = 1
        for (number, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = csvFields(String(line))
            let first = fields.first?.trimmingCharacters(in: .whitespaces) ?? ""
            if learners.isEmpty, seen.isEmpty, ["id", "learner", "student", "username", "login"].contains(first.lowercased()) {
                nameColumn = fields.firstIndex { $0.trimmingCharacters(in: .whitespaces).lowercased() == "name" }
                seen[""] = 0
                continue
            }
            guard first.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", options: .regularExpression) != nil, !first.contains("..") else {
                return .failure(AnswersFileError(line: number + 1, "`\(first.prefix(40))` is not a learner id: use letters, digits, `.`, `_` and `-` (it names the learner's files), at most 64"))
            }
            if let earlier = seen[first] {
                return .failure(AnswersFileError(line: number + 1, "learner `\(first)` is listed twice (first at line \(earlier)); one learner, one row"))
            }
            seen[first] = number + 1
            let name = nameColumn.flatMap { $0 < fields.count ? fields[$0].trimmingCharacters(in: .whitespaces) : nil }
            learners.append(Learner(id: first, name: name?.isEmpty == false ? name : nil))
            if learners.count > maximumLearners {
                return .failure(AnswersFileError(line: number + 1, "more than \(maximumLearners) learners; split the class"))
            }
        }
        if learners.isEmpty { return .failure(AnswersFileError(line: 1, "no learners; write one learner id a line (a header `id,name` is allowed)")) }
        return .success(Roster(learners: learners))
    }

    /// The fields of one CSV line: commas separate, double quotes quote (`""` is a quote).
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { current.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

/// One learner's assignment: the variants they are given, each with its variant seed.
public struct Assignment: Sendable {
    public var learner: Roster.Learner
    /// The learner's seed: each question's variant seed follows from it and the exercise id.
    public var seed: UInt64
    public var questions: [Question]

    /// The assignment of each learner: `count` of `exercises` (all when nil or larger), chosen and
    /// drawn from the learner's own seed, so neighbours get different numbers. Problems drawing a
    /// variant are returned, located.
    public static func make(_ exercises: [Exercise], roster: Roster, count: Int?, seed: UInt64) -> (assignments: [Assignment], problems: [Diagnostic]) {
        var spaces: [String: VariantSpace] = [:]
        var problems: [Diagnostic] = []
        var broken = Set<String>()
        for exercise in exercises {
            switch VariantSpace.build(for: exercise) {
            case .success(let space): spaces[exercise.id] = space
            case .failure(let found):
                problems += found.diagnostics
                broken.insert(exercise.id)
            }
        }
        let usable = exercises.filter { !broken.contains($0.id) }
        var assignments: [Assignment] = []
        for learner in roster.learners {
            var generator = SeededGenerator(seed: seed, label: "assign:" + learner.id)
            let learnerSeed = generator.next() & 0xFFFF_FFFF
            var chosen = usable
            if let count, count < usable.count {
                var picker = SeededGenerator(seed: learnerSeed, label: "assign-pick")
                let keep = Set(picker.shuffled(usable.map(\.id)).prefix(count))
                chosen = usable.filter { keep.contains($0.id) }
            }
            var questions: [Question] = []
            for exercise in chosen {
                guard let space = spaces[exercise.id] else { continue }
                let variant = VariantSpace.sessionVariantSeed(session: learnerSeed, exerciseID: exercise.id)
                switch Question.make(exercise, space: space, seed: variant) {
                case .success(let question): questions.append(question)
                case .failure(let found):
                    for diagnostic in found.diagnostics where !problems.contains(diagnostic) { problems.append(diagnostic) }
                }
            }
            assignments.append(Assignment(learner: learner, seed: learnerSeed, questions: questions))
        }
        return (assignments, problems)
    }

    /// `text` as comment lines (`# …`), blank lines kept as `#`.
    static func commented(_ text: String) -> String {
        text.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "#" : "# " + $0 }.joined(separator: "\n") + "\n"
    }

    /// How the learner is named on their files.
    var who: String { learner.name.map { "\($0) (\(learner.id))" } ?? learner.id }

    /// The answers file the learner fills in and hands back: each question's prompt as comments,
    /// its variant seed, and an empty `id:` line for the answer; `mhalearn grade` reads it as it is.
    public func template(title: String) -> String {
        let renderer = PromptRenderer(width: 76, color: false)
        var text = "# mhalearn assignment: \(title), for \(who).\n"
        text += "# Write each answer after its colon (`64`, `[11, 64]`, `b`, `a, c` or words); leave it\n"
        text += "# empty to skip a question. For a second try, add a line with the same id below the first.\n"
        text += "# Keep the variant-seed lines: they say which numbers you were given. Hand the file back as it is.\n"
        text += "# Learner seed \(seed) (a `session-seed: \(seed)` line would give the same variants).\n"
        for (number, question) in questions.enumerated() {
            text += "\n# \(number + 1) of \(questions.count): \(question.exercise.id) (\(question.exercise.kind.rawValue))\n"
            text += Self.commented(renderer.render(question))
            text += "variant-seed: \(question.seed)\n\(question.exercise.id): \n"
        }
        return text
    }

    /// The printable sheet: the questions in full, with room to answer.
    public func sheet(title: String, width: Int = 80) -> String {
        let renderer = PromptRenderer(width: width, color: false)
        var text = LearnerAnswers.sheetMarker + " (not an answers file; the answers file is answers/\(learner.id).txt)\n\n"
        text += "\(title)\n\(who) · \(questions.count) question\(questions.count == 1 ? "" : "s")\n"
        for (number, question) in questions.enumerated() {
            text += "\n" + String(repeating: "─", count: min(width, 60)) + "\n"
            text += "Question \(number + 1) of \(questions.count) · \(question.exercise.id) · variant-seed \(question.seed)\n\n"
            text += renderer.render(question).trimmingCharacters(in: .newlines) + "\n"
            text += "\nAnswer: ______________________________\n"
        }
        return text
    }
}
