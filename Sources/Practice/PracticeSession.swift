import Foundation
import MarkdownTerminal
import Progress
import Exercises
import ExpressionLanguage

/// One line of learner input, or why there is none.
public enum InputEvent: Sendable, Equatable {
    /// A line (without its newline).
    case line(String)
    /// End of input (Ctrl-D, or the end of an answers file).
    case endOfInput
    /// The learner pressed Ctrl-C.
    case interrupted
}

/// How a session ended.
public enum SessionEnding: String, Sendable, Codable {
    /// Every planned question was posed.
    case finished
    /// The learner typed `quit`.
    case quit
    /// Input ended before the last question.
    case endOfInput = "end-of-input"
    /// The learner pressed Ctrl-C.
    case interrupted
}

/// What a practice session produced.
public struct SessionSummary: Sendable {
    /// One result per question posed (unanswered ones included).
    public var results: [QuestionResult]
    /// How the session ended.
    public var ending: SessionEnding
    /// Problems that kept questions from being posed (broken exercises).
    public var problems: [Diagnostic]
    /// Warnings from the progress store (a corrupt file moved aside, a failed save).
    public var warnings: [String]
    /// Finished questions whose progress could not be written, even when retried.
    public var unsaved: [QuestionResult] = []

    /// The total credit.
    public var score: Double { results.reduce(0) { $0 + $1.score } }
    /// Questions that were answered, skipped or given up on.
    public var answered: [QuestionResult] { results.filter { $0.outcome != .unanswered } }
    /// Whether any answered question was missed.
    public var missedAny: Bool { answered.contains { $0.outcome != .correct } }
}

/// How a session writes: styled text for people, or JSON lines for scripts.
public struct SessionFormat: Sendable {
    /// JSON lines instead of text.
    public var json: Bool
    /// Colour in text mode.
    public var color: Bool
    /// Wrapping width in text mode.
    public var width: Int
    /// Repeat each answer read after the prompt (input not typed at a terminal).
    public var echoInput: Bool

    /// Creates a format.
    public init(json: Bool, color: Bool, width: Int, echoInput: Bool) {
        self.json = json
        self.color = color
        self.width = width
        self.echoInput = echoInput
    }
}

/// The practice loop: poses planned questions, reads answers, grades, hints, explains, and saves
/// each finished question to the progress store as soon as it is over.
public struct PracticeSession {
    /// The questions to pose.
    public var plan: [PlannedQuestion]
    /// Where progress is saved; nil to keep nothing.
    public var store: ProgressStore?
    /// Output format.
    public var format: SessionFormat
    /// A line describing the session (set, seed), printed first in text mode.
    public var heading: String?
    /// The stored session the questions belong to, if any (for `--resume`).
    public var sessionID: Int64?
    /// How many of the stored session's questions were finished before this run.
    public var startPosition: Int
    /// The time taken as now (`MHALEARN_NOW` or the clock).
    public var now: @Sendable () -> Date
    /// Whether to end with the score (text) or summary line (JSON).
    public var showScore: Bool
    /// The stored session this run resumes, as it stood before: its questions are numbered on from
    /// it and the summary adds the whole session's totals.
    public var resumed: SessionInfo?
    /// Whether each question is titled "Question N of M" (a lesson's checkpoint has its own counter).
    public var numbered = true

    /// Creates a session.
    public init(plan: [PlannedQuestion], store: ProgressStore?, format: SessionFormat, heading: String? = nil,
                sessionID: Int64? = nil, startPosition: Int = 0, showScore: Bool = true,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.showScore = showScore
        self.plan = plan
        self.store = store
        self.format = format
        self.heading = heading
        self.sessionID = sessionID
        self.startPosition = startPosition
        self.now = now
    }

    /// Runs the session, reading with `read` and writing with `write`.
    public func run(read: () -> InputEvent, write: (String) -> Void) -> SessionSummary {
        let style = TerminalStyle(color: format.color && !format.json)
        let renderer = PromptRenderer(width: format.width, color: format.color && !format.json)
        var summary = SessionSummary(results: [], ending: .finished, problems: [], warnings: [])
        var spaces: [String: Result<VariantSpace, ExerciseProblems>] = [:]
        var questions: [Question] = []
        for planned in plan {
            let space = spaces[planned.exercise.id] ?? VariantSpace.build(for: planned.exercise)
            spaces[planned.exercise.id] = space
            switch space.flatMap({ Question.make(planned.exercise, space: $0, seed: planned.seed) }) {
            case .success(let question): questions.append(question)
            case .failure(let problems):
                if !summary.problems.contains(where: { problems.diagnostics.contains($0) }) { summary.problems += problems.diagnostics }
            }
        }
        if questions.count < plan.count {
            summary.warnings.append("\(plan.count - questions.count) of \(plan.count) planned questions could not be drawn (the problems are listed above) and were left out; `mhalearn check` proves every variant")
        }
        if let heading, !format.json { write(paragraph("", heading, indent: 0, paintLabel: { $0 }, rest: { style.bold($0) }) + "\n") }

        questionLoop: for (number, question) in questions.enumerated() {
            var run = QuestionRun(question: question)
            var tracker = AttemptTracker(posed: Date())
            if format.json {
                write(JSONLine.question(question, number: startPosition + number + 1, total: startPosition + questions.count))
            } else {
                let title = numbered ? "Question \(startPosition + number + 1) of \(startPosition + questions.count)" : ""
                let where_ = sanitize("\(question.exercise.set) · \(question.exercise.id) · variant-seed \(question.seed)")
                let apart = !title.isEmpty && displayWidth(title) + 2 + displayWidth(where_) > format.width
                write((title.isEmpty ? "" : style.bold(title) + (apart ? "\n" : "  "))
                      + paragraph("", where_, indent: 0, paintLabel: { $0 }, rest: { style.dim($0) }))
                write(renderer.render(question))
            }
            // The feedback of the answer that finishes the question is printed only after the
            // question is saved: whatever a learner or a script saw is on disk.
            var closing: [String] = []
            while !run.isFinished {
                if !format.json && !format.echoInput { write(style.foreground(.cyan, "› ")) }
                let event = read()
                guard case .line(let line) = event else {
                    summary.ending = event == .interrupted ? .interrupted : .endOfInput
                    if !format.json { write("\n") }
                    break questionLoop
                }
                if !format.json && format.echoInput { write(style.foreground(.cyan, "› ") + sanitize(line) + "\n") }
                let hintsBefore = run.hintsShown
                let turn = run.respond(to: line)
                tracker.note(line: line, turn: turn, hintsBefore: hintsBefore)
                if format.json {
                    if !turn.finished { write(JSONLine.attempt(question, input: line, turn: turn, run: run)) }
                } else {
                    let texts = turn.messages.map { self.text(of: $0, style: style, renderer: renderer) }
                    if turn.finished && !turn.quit { closing = texts } else { texts.forEach(write) }
                }
                if turn.quit {
                    summary.ending = .quit
                    break questionLoop
                }
            }
            record(run, tracker: tracker, position: startPosition + number + 1, into: &summary, write: write)
            closing.forEach(write)
            if !format.json { write("\n") }
        }
        if let store, !summary.unsaved.isEmpty {
            saveUnsaved(store, into: &summary)
            if summary.unsaved.isEmpty { summary.warnings.removeAll { $0.hasPrefix(Self.notSaved) } }
        }
        if let store, let sessionID {
            do {
                try store.endSession(sessionID, ending: summary.ending.rawValue, now: now())
            } catch {
                summary.warnings.append("the session's end could not be recorded: \(error)")
            }
        }
        if !summary.unsaved.isEmpty {
            let list = summary.unsaved.map { "\($0.id) (\($0.outcome.rawValue))" }.joined(separator: ", ")
            summary.warnings.append("these answers could not be saved: \(list)")
        }
        if !showScore {
            return summary
        } else if format.json {
            write(JSONLine.summary(summary, planned: questions.count))
        } else {
            write(scoreText(summary, planned: questions.count, style: style))
        }
        return summary
    }

    /// How a warning about a failed save starts (dropped once a retry saves the answers).
    private static let notSaved = "progress not saved: "

    private func record(_ run: QuestionRun, tracker: AttemptTracker, position: Int, into summary: inout SessionSummary, write: (String) -> Void) {
        let exercise = run.question.exercise
        guard let outcome = run.outcome, outcome != .unanswered else { return }
        let credit = Credit.value(best: run.score, attempts: run.attemptsUsed, hints: tracker.hintsAsked)
        let result = QuestionResult(id: exercise.id, set: exercise.set, hash: exercise.contentHash, seed: run.question.seed,
                                    outcome: outcome, score: credit, attempts: run.attemptsUsed, hints: tracker.hintsAsked,
                                    seconds: Date().timeIntervalSince(tracker.posed), entries: tracker.entries)
        summary.results.append(result)
        defer { if format.json { write(JSONLine.result(run, result: result)) } }
        guard let store else { return }
        if !summary.unsaved.isEmpty { saveUnsaved(store, into: &summary) }
        do {
            summary.warnings += try store.record(result, session: sessionID, position: position, now: now())
            if summary.unsaved.isEmpty { summary.warnings.removeAll { $0.hasPrefix(Self.notSaved) } }
        } catch {
            summary.unsaved.append(result)
            let warning = Self.notSaved + "\(error)"
            if !summary.warnings.contains(warning) { summary.warnings.append(warning) }
        }
    }

    /// Tries again to save the questions whose saving failed.
    private func saveUnsaved(_ store: ProgressStore, into summary: inout SessionSummary) {
        var left: [QuestionResult] = []
        for result in summary.unsaved {
            do { summary.warnings += try store.record(result, now: now()) } catch { left.append(result) }
        }
        summary.unsaved = left
    }

    private func text(of message: TurnMessage, style: TerminalStyle, renderer: PromptRenderer) -> String {
        switch message {
        case .correct(let text): return paragraph("✓ ", text, indent: 2) { style.foreground(.green, $0) } rest: { style.foreground(.green, $0) }
        case .wrong(let text): return paragraph("✗ ", text, indent: 2) { style.foreground(.red, $0) }
        case .format(let text): return paragraph("? ", text, indent: 2) { style.foreground(.yellow, $0) }
        case .hint(let text, let tier, let total): return paragraph("Hint \(tier) of \(total): ", text, indent: 2) { style.foreground(.cyan, $0) }
        case .answer(let text): return paragraph("", text, indent: 0) { $0 } rest: { style.bold($0) }
        case .explanation(let text): return "\n" + renderer.render(text)
        case .note(let text): return paragraph("", text, indent: 0) { $0 } rest: { style.dim($0) }
        case .option(let text, let correct, _):
            return paragraph(correct ? "✓ " : "✗ ", text, indent: 2) { style.foreground(correct ? .green : .red, $0) }
        }
    }

    /// `label` then `text`, wrapped to the session's width with later lines indented by `indent`
    /// columns; `paintLabel` styles the label, `rest` each line's text. As in Markdown, a single
    /// newline in `text` is a space and a blank line starts a new line.
    private func paragraph(_ label: String, _ text: String, indent: Int,
                           paintLabel: (String) -> String, rest: (String) -> String = { $0 }) -> String {
        let paragraphs = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .components(separatedBy: "\n\n").map { $0.replacingOccurrences(of: "\n", with: " ") }
        var lines = wrap(label + paragraphs.joined(separator: "\n"), width: max(10, format.width - indent))
        if lines.isEmpty { lines = [label] }
        var result = ""
        for (index, line) in lines.enumerated() {
            if index == 0, !label.isEmpty, line.hasPrefix(label.trimmingCharacters(in: .whitespaces)) {
                let cut = line.index(line.startIndex, offsetBy: min(label.count, line.count))
                result += paintLabel(String(line[..<cut])) + rest(String(line[cut...]))
            } else {
                result += String(repeating: " ", count: index == 0 ? 0 : indent) + rest(line)
            }
            result += "\n"
        }
        return result
    }

    private func scoreText(_ summary: SessionSummary, planned: Int, style: TerminalStyle) -> String {
        let answered = summary.answered
        var ending = ""
        switch summary.ending {
        case .interrupted: ending = "Interrupted. "
        case .endOfInput where answered.count < planned: ending = "Input ended. "
        case .quit: ending = "Stopped. "
        default: break
        }
        if answered.isEmpty {
            return paragraph("", ending + "No questions answered; nothing to save.", indent: 0, paintLabel: { $0 })
        }
        let firstTry = answered.filter(\.firstTry).count
        let right = answered.filter { $0.outcome == .correct }.count
        let partly = answered.filter { $0.outcome == .partial }.count
        let percent = Int((summary.score / Double(answered.count) * 100).rounded())
        let score = "Score: \(ValueText.decimal((summary.score * 100).rounded() / 100)) of \(answered.count) (\(percent)%)"
        var parts = ["\(firstTry) right at the first try"]
        if right > firstTry { parts.append("\(right - firstTry) after a retry or hint") }
        if partly > 0 { parts.append("\(partly) partly right") }
        let missed = answered.count - right - partly
        if missed > 0 { parts.append("\(missed) missed") }
        var text = paragraph(ending + score + " ", "— " + parts.joined(separator: ", ") + ".", indent: 0,
                             paintLabel: { style.bold($0) })
        if let resumed {
            let all = resumed.answered + answered.count
            let credit = resumed.credit + summary.score
            text += paragraph("", "Whole session #\(resumed.id): \(all) of \(resumed.plan.count) answered, \(resumed.firstTry + firstTry) right at the first try, credit \(ValueText.decimal((credit * 100).rounded() / 100)).",
                              indent: 0, paintLabel: { $0 })
        }
        if store != nil && !summary.unsaved.isEmpty {
            text += paragraph("", "Progress NOT saved for \(summary.unsaved.count) question\(summary.unsaved.count == 1 ? "" : "s"): see the warnings below.",
                              indent: 0, paintLabel: { $0 }, rest: { style.foreground(.red, $0) })
        } else if store != nil {
            text += paragraph("", "Each retry or hint halves a question's credit; only a first-try answer without a hint masters it. Progress saved: `mhalearn` shows the course map and what to do next.",
                              indent: 0, paintLabel: { $0 }, rest: { style.dim($0) })
        }
        return text
    }
}

/// The JSON lines a session prints with `--json`.
enum JSONLine {
    static func encode(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func base(_ question: Question) -> [String: Any] {
        ["id": question.exercise.id, "set": question.exercise.set, "kind": question.exercise.kind.rawValue, "seed": question.seed]
    }

    static func question(_ question: Question, number: Int, total: Int) -> String {
        var object = base(question)
        object["type"] = "question"
        object["number"] = number
        object["total"] = total
        object["prompt"] = question.prompt
        object["attempts"] = question.exercise.attempts
        object["hints"] = question.hints.count
        if !question.options.isEmpty {
            object["options"] = question.options.enumerated().map { ["letter": PresentedOption.letter($0.offset), "text": $0.element.text] }
        }
        if case .number(_, let tolerance) = question.expected, tolerance > 0 { object["tolerance"] = tolerance }
        return encode(object)
    }

    static func attempt(_ question: Question, input: String, turn: Turn, run: QuestionRun) -> String {
        var object = base(question)
        object["type"] = "attempt"
        object["answer"] = input
        if let grade = turn.grade {
            object["grade"] = grade.outcome.rawValue
            object["score"] = grade.score
        } else {
            object["grade"] = NSNull()
        }
        object["feedback"] = turn.messages.map(\.text)
        object["attempts_left"] = question.exercise.attempts - run.attemptsUsed
        return encode(object)
    }

    static func result(_ run: QuestionRun, result: QuestionResult) -> String {
        var object = base(run.question)
        object["type"] = "result"
        object["question"] = run.question.prompt
        object["answer"] = run.answers.last?.input ?? NSNull()
        object["grade"] = result.outcome.rawValue
        object["score"] = result.score
        object["feedback"] = run.answers.last?.feedback ?? []
        object["attempts"] = run.answers.map { ["answer": $0.input, "grade": $0.outcome.rawValue, "score": $0.score, "feedback": $0.feedback] as [String: Any] }
        object["hints_used"] = result.hints
        object["attempts_used"] = result.attempts
        object["first_try"] = result.firstTry
        object["credit"] = result.score
        object["expected"] = run.question.answerText
        object["explanation"] = run.question.explanation
        return encode(object)
    }

    static func summary(_ summary: SessionSummary, planned: Int) -> String {
        encode([
            "type": "summary",
            "ending": summary.ending.rawValue,
            "planned": planned,
            "answered": summary.answered.count,
            "correct": summary.answered.filter { $0.outcome == .correct }.count,
            "first_try": summary.answered.filter(\.firstTry).count,
            "score": summary.score,
            "unsaved": summary.unsaved.map(\.id),
        ])
    }
}

/// What happened while one question was open: when it was posed, the hints asked for, every graded answer.
struct AttemptTracker {
    /// When the question was posed.
    var posed: Date
    /// Hints the learner asked for (`?` or `hint`) and was shown: asking where none is left costs nothing.
    var hintsAsked = 0
    /// Every answer that was read and graded.
    var entries: [AttemptEntry] = []

    init(posed: Date) {
        self.posed = posed
    }

    /// Notes one line of input and what it led to.
    mutating func note(line: String, turn: Turn, hintsBefore: Int) {
        let command = line.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if QuestionRun.hintWords.contains(command) {
            if turn.messages.contains(where: { if case .hint = $0 { return true } else { return false } }) { hintsAsked += 1 }
            return
        }
        guard let grade = turn.grade, grade.outcome != .unreadable else { return }
        entries.append(AttemptEntry(answer: line, grade: grade.outcome, score: grade.score, hintsBefore: hintsBefore,
                                    seconds: Date().timeIntervalSince(posed)))
    }
}
