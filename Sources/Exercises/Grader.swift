import Foundation
import LiveValues
import ExpressionLanguage

/// How an answer fared.
public enum GradeOutcome: String, Sendable, Codable {
    /// Fully right.
    case correct
    /// Some credit (multi only).
    case partial
    /// Not right.
    case wrong
    /// Could not be read; costs no attempt.
    case unreadable
}

/// The grade of one answer, with what the learner should be told.
public struct Grade: Sendable {
    /// The outcome.
    public var outcome: GradeOutcome
    /// Credit from 0 to 1.
    public var score: Double
    /// What to tell the learner, one paragraph an item.
    public var feedback: [String]
    /// The `wrong` entry (0-based, in file order) the answer matched, if any.
    public var matchedWrong: Int?

    /// Whether the answer uses up one of the learner's attempts.
    public var costsAttempt: Bool { outcome != .unreadable }
}

/// Grades learners' answers against a question's key, anticipated mistakes first.
public enum Grader {
    /// How much a number may differ from the key beyond the stated tolerance, for floating-point noise.
    static func slack(for expected: Double) -> Double { 1e-9 * max(1, abs(expected)) }

    /// Grades the typed `input` for `question`.
    public static func grade(_ input: String, for question: Question) -> Grade {
        grade(AnswerReader.read(input, for: question), for: question)
    }

    /// Grades an answer that has already been read.
    public static func grade(_ reading: Reading, for question: Question) -> Grade {
        if case .unreadable(let message) = reading {
            return Grade(outcome: .unreadable, score: 0, feedback: [message], matchedWrong: nil)
        }
        switch (question.expected, reading) {
        case (.number(let expected, let tolerance), .number(let value)):
            if abs(value - expected) <= tolerance + slack(for: expected) { return correct() }
            for entry in question.wrong {
                if case .number(let wrongValue) = entry.form, abs(value - wrongValue) <= tolerance + slack(for: wrongValue) {
                    return Grade(outcome: .wrong, score: 0, feedback: [entry.feedback], matchedWrong: entry.index)
                }
            }
            return wrong(nil)
        case (.shape(let expected), .shape(let dims)):
            if dims == expected { return correct() }
            for entry in question.wrong {
                if case .shape(let wrongDims) = entry.form, wrongDims == dims {
                    return Grade(outcome: .wrong, score: 0, feedback: [entry.feedback], matchedWrong: entry.index)
                }
            }
            if dims.count == 1 && expected.count > 1 {
                return Grade(outcome: .unreadable, score: 0,
                             feedback: ["A shape lists every dimension, such as [11, 64]; this one has \(expected.count)."], matchedWrong: nil)
            }
            if dims.count != expected.count {
                return wrong("This shape has \(expected.count) dimensions; yours has \(dims.count).")
            }
            if dims.sorted() == expected.sorted() {
                return wrong("The right sizes, but not in the right order.")
            }
            return wrong(nil)
        case (.choice(let expected), .choices(let picked)):
            guard let index = picked.first else { return wrong(nil) }
            let feedback = question.options[index].feedback.map { [$0] } ?? []
            if index == expected { return Grade(outcome: .correct, score: 1, feedback: feedback.isEmpty ? ["Correct."] : ["Correct."] + feedback, matchedWrong: nil) }
            return Grade(outcome: .wrong, score: 0, feedback: feedback.isEmpty ? ["Not that one."] : feedback, matchedWrong: nil)
        case (.multi(let expected), .choices(let picked)):
            return gradeMulti(expected: expected, picked: picked, options: question.options)
        case (.text(let accepted), .text(let key)):
            if accepted.contains(key) { return correct() }
            for entry in question.wrong {
                if case .text(let wrongKey) = entry.form, wrongKey == key {
                    return Grade(outcome: .wrong, score: 0, feedback: [entry.feedback], matchedWrong: entry.index)
                }
            }
            return wrong(nil)
        default:
            return Grade(outcome: .unreadable, score: 0, feedback: ["That answer does not fit this question."], matchedWrong: nil)
        }
    }

    static func gradeMulti(expected: Set<Int>, picked: Set<Int>, options: [PresentedOption]) -> Grade {
        let hits = picked.intersection(expected).count
        let falsePicks = picked.subtracting(expected).sorted()
        let score = expected.isEmpty ? 0 : Double(max(0, hits - falsePicks.count)) / Double(expected.count)
        if picked == expected {
            var feedback = ["Correct: all \(expected.count) right options and nothing else."]
            feedback += picked.sorted().compactMap { index in options[index].feedback.map { "\(PresentedOption.letter(index))) \($0)" } }
            return Grade(outcome: .correct, score: 1, feedback: feedback, matchedWrong: nil)
        }
        var summary = "You chose \(hits) of the \(expected.count) right option\(expected.count == 1 ? "" : "s")"
        if !falsePicks.isEmpty {
            summary += " and \(falsePicks.count) that \(falsePicks.count == 1 ? "is" : "are") not right"
        }
        summary += ": credit \(hits)"
        if !falsePicks.isEmpty { summary += " − \(falsePicks.count)" }
        summary += " of \(expected.count) = \(ValueText.decimal((score * 100).rounded()))%."
        if !falsePicks.isEmpty { summary += " Each wrong choice cancels a right one." }
        var feedback = [summary]
        feedback += falsePicks.compactMap { index in options[index].feedback.map { "\(PresentedOption.letter(index))) \($0)" } }
        return Grade(outcome: score > 0 ? .partial : .wrong, score: score, feedback: feedback, matchedWrong: nil)
    }

    private static func correct() -> Grade {
        Grade(outcome: .correct, score: 1, feedback: ["Correct."], matchedWrong: nil)
    }

    private static func wrong(_ detail: String?) -> Grade {
        Grade(outcome: .wrong, score: 0, feedback: [detail ?? "Not quite."], matchedWrong: nil)
    }
}
