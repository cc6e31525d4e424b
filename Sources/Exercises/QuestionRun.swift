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

    /// The plain text of the message.
    public var text: String {
        switch self {
        case .correct(let text), .wrong(let text), .format(let text), .answer(let text), .explanation(let text), .note(let text):
            return text
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
    /// The best credit earned.
    public private(set) var bestScore: Double = 0

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
            return Turn(messages: [nextHint() ?? .note("No more hints. Type `skip` to see the answer.")], grade: nil, finished: false, quit: false)
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
            bestScore = 1
            outcome = .correct
            return Turn(messages: grade.feedback.map { .correct($0) } + [.explanation(question.explanation)], grade: grade, finished: true, quit: false)
        case .wrong, .partial:
            attemptsUsed += 1
            bestScore = max(bestScore, grade.score)
            var messages: [TurnMessage] = grade.feedback.map { .wrong($0) }
            if attemptsUsed >= question.exercise.attempts {
                outcome = bestScore > 0 ? .partial : .wrong
                messages += closing()
                return Turn(messages: messages, grade: grade, finished: true, quit: false)
            }
            if grade.matchedWrong == nil, grade.outcome == .wrong, let hint = nextHint() {
                messages.append(hint)
            }
            let left = question.exercise.attempts - attemptsUsed
            messages.append(.note("\(left) attempt\(left == 1 ? "" : "s") left. Type `?` for a hint or `skip` to move on."))
            return Turn(messages: messages, grade: grade, finished: false, quit: false)
        }
    }

    /// Ends the question early (end of input, interrupt or `quit`), keeping any credit earned.
    public mutating func end() {
        guard outcome == nil else { return }
        outcome = bestScore > 0 ? .partial : (attemptsUsed > 0 ? .wrong : .unanswered)
    }

    /// The credit the question earned: 1 if right, partial credit for multi, else 0.
    public var score: Double { outcome == .correct ? 1 : (outcome == .partial ? bestScore : 0) }

    private mutating func nextHint() -> TurnMessage? {
        guard hintsShown < question.hints.count else { return nil }
        hintsShown += 1
        return .hint(question.hints[hintsShown - 1], tier: hintsShown, total: question.hints.count)
    }

    private func closing() -> [TurnMessage] {
        [.answer("The answer: \(question.answerDescription)"), .explanation(question.explanation)]
    }
}
