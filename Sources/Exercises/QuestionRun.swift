import Foundation
import LiveValues
import ExpressionLanguage

/// How a question ended.
public enum QuestionOutcome: String, Sendable, Codable {
    /// Answered correctly within the attempts.
    case correct
    /// Some credit (multi), attempts used up.
    case partial
    /// Attempts used up without credit.
    case wrong
    /// The learner asked to skip it.
    case skipped
    /// The session ended before the question was answered.
    case unanswered
}

/// One message for the learner, tagged so the front end can style it.
public enum TurnMessage: Sendable, Equatable {
    /// Praise for a right answer, and its feedback.
    case correct(String)
    /// Feedback on a wrong or partly right answer.
    case wrong(String)
    /// The answer could not be read; no attempt was used.
    case format(String)
    /// A hint (`tier` of `total`, 1-based).
    case hint(String, tier: Int, total: Int)
    /// The right answer, shown once the question is over.
    case answer(String)
    /// The exercise's explanation (Markdown).
    case explanation(String)
    /// Anything else worth saying (attempts left, no more hints).
    case note(String)
    /// One option of a choice or select-all question once it is over: `a) text: feedback`, whether
    /// it is a right option, and whether the learner's last answer chose it.
    case option(String, correct: Bool, chosen: Bool)

    /// The plain text of the message.
    public var text: String {
        switch self {
        case .correct(let text), .wrong(let text), .format(let text), .answer(let text), .explanation(let text), .note(let text):
            return text
        case .option(let text, let correct, _):
            return (correct ? "✓ " : "✗ ") + text
        case .hint(let text, let tier, let total):
            return "Hint \(tier) of \(total): \(text)"
        }
    }
}

/// What one line of learner input led to.
public struct Turn: Sendable {
    /// What to show, in order.
    public var messages: [TurnMessage]
    /// The grade, when the line was an answer.
    public var grade: Grade?
    /// Whether the question is over.
    public var finished: Bool
    /// Whether the learner asked to end the session.
    public var quit: Bool
}

/// One graded answer.
public struct AttemptRecord: Sendable, Codable {
    /// What the learner typed.
    public var input: String
    /// How it was graded.
    public var outcome: GradeOutcome
    /// Its credit.
    public var score: Double
    /// What the learner was told.
    public var feedback: [String]
}

/// The state of one question being answered: attempts, hints, outcome.
public struct QuestionRun: Sendable {
    /// The question.
    public let question: Question
    /// Graded attempts used so far (unreadable answers do not count).
    public private(set) var attemptsUsed = 0
    /// Hints shown so far.
    public private(set) var hintsShown = 0
    /// Every answer given, readable or not.
    public private(set) var answers: [AttemptRecord] = []
    /// How the question ended, once it has.
    public private(set) var outcome: QuestionOutcome?
    /// The credit of the last graded answer: the last try counts.
    public private(set) var lastScore: Double = 0

    /// Starts a question.
    public init(question: Question) {
        self.question = question
    }

    /// Whether the question is over.
    public var isFinished: Bool { outcome != nil }

    /// The words that are commands rather than answers.
    public static let hintWords: Set<String> = ["?", "hint"]

    /// Handles one line of input: an answer, `?`/`hint`, `skip` or `quit`.
    public mutating func respond(to line: String) -> Turn {
        guard outcome == nil else { return Turn(messages: [], grade: nil, finished: true, quit: false) }
        let command = line.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if Self.hintWords.contains(command) {
            let none = question.hints.isEmpty
                ? "This question has no hints; it cost nothing. Answer, or type `skip` to see the answer."
                : "No hints are left (you have seen all \(question.hints.count)); type `skip` to see the answer."
            return Turn(messages: [nextHint() ?? .note(none)], grade: nil, finished: false, quit: false)
        }
        if command == "skip" {
            outcome = .skipped
            return Turn(messages: closing(), grade: nil, finished: true, quit: false)
        }
        if command == "quit" || command == "exit" {
            end()
            return Turn(messages: [], grade: nil, finished: true, quit: true)
        }
        let grade = Grader.grade(line, for: question)
        answers.append(AttemptRecord(input: line, outcome: grade.outcome, score: grade.score, feedback: grade.feedback))
        switch grade.outcome {
        case .unreadable:
            return Turn(messages: grade.feedback.map { .format($0) } + [.note("That did not use an attempt.")], grade: grade, finished: false, quit: false)
        case .correct:
            attemptsUsed += 1
            lastScore = 1
            outcome = .correct
            if hasOptions {
                return Turn(messages: [.correct(grade.feedback.first ?? "Correct.")] + optionList() + [.explanation(question.explanation)],
                            grade: grade, finished: true, quit: false)
            }
            return Turn(messages: grade.feedback.map { .correct($0) } + [.explanation(question.explanation)], grade: grade, finished: true, quit: false)
        case .wrong, .partial:
            attemptsUsed += 1
            lastScore = grade.score
            var messages: [TurnMessage] = grade.feedback.map { .wrong($0) }
            if attemptsUsed >= question.exercise.attempts {
                outcome = lastScore > 0 ? .partial : .wrong
                messages += closing()
                return Turn(messages: messages, grade: grade, finished: true, quit: false)
            }
            let left = question.exercise.attempts - attemptsUsed
            let offer = hintsShown < question.hints.count ? "Type `?` for a hint or `skip` to move on."
                : (question.hints.isEmpty ? "Type `skip` to see the answer." : "No hints are left; type `skip` to see the answer.")
            messages.append(.note("\(left) attempt\(left == 1 ? "" : "s") left. " + offer))
            return Turn(messages: messages, grade: grade, finished: false, quit: false)
        }
    }

    /// Ends the question early (end of input, interrupt or `quit`), keeping any credit earned.
    public mutating func end() {
        guard outcome == nil else { return }
        outcome = lastScore > 0 ? .partial : (attemptsUsed > 0 ? .wrong : .unanswered)
    }

    /// The credit the question earned: 1 if right, the last answer's partial credit for multi, else 0.
    public var score: Double { outcome == .correct ? 1 : (outcome == .partial ? lastScore : 0) }

    private mutating func nextHint() -> TurnMessage? {
        guard hintsShown < question.hints.count else { return nil }
        hintsShown += 1
        return .hint(question.hints[hintsShown - 1], tier: hintsShown, total: question.hints.count)
    }

    private var hasOptions: Bool { !question.options.isEmpty }

    /// Every option with ✓ or ✗ and its feedback, marking those the last answer chose.
    private func optionList() -> [TurnMessage] {
        var chosen = Set<Int>()
        if let last = answers.last(where: { $0.outcome != .unreadable }),
           case .choices(let picked) = AnswerReader.read(last.input, for: question) {
            chosen = picked
        }
        return question.options.indices.map { index in
            let option = question.options[index]
            var line = "\(PresentedOption.letter(index))) \(option.text)" + (chosen.contains(index) ? " (your choice)" : "")
            if let feedback = option.feedback?.trimmingCharacters(in: .whitespacesAndNewlines), !feedback.isEmpty {
                line += " — " + feedback.replacingOccurrences(of: "\n", with: " ")
            }
            return .option(line, correct: option.correct, chosen: chosen.contains(index))
        }
    }

    private func closing() -> [TurnMessage] {
        if hasOptions {
            let letters = question.options.indices.filter { question.options[$0].correct }.map(PresentedOption.letter)
            let answer = letters.isEmpty ? "none of the options" : letters.joined(separator: ", ")
            return [.answer("The answer: \(answer)")] + optionList() + [.explanation(question.explanation)]
        }
        return [.answer("The answer: \(question.answerDescription)"), .explanation(question.explanation)]
    }
}
