import Foundation
import Exercises

/// Writes questions in Moodle's GIFT format: one category per exercise holding its variants,
/// numeric questions with their tolerance, choices with per-option feedback, `multi` with the
/// weights mhalearn grades by, text and shapes as short answers; `wrong` entries as 0% answers
/// with their feedback; the explanation as general feedback.
public enum GIFTWriter {
    /// The GIFT text of `set`, with the exercises it could not express.
    public static func write(_ set: ExportSet) -> (text: String, result: ExportResult) {
        var text = "// Exported by mhalearn: one category per exercise, one question per variant.\n\n"
        var skipped = set.skipped
        var questions = 0, exercises = 0
        for item in set.items {
            var blocks: [String] = []
            for (number, question) in item.variants.enumerated() {
                switch answers(question) {
                case .failure(let skip):
                    if !skipped.contains(skip) { skipped.append(skip) }
                case .success(let body):
                    let variant = variantLine(question)
                    var block = variant.isEmpty ? "" : "// \(variant)\n"
                    block += "::\(escape(item.exercise.id)) \(number + 1)::[markdown]\(escape(question.prompt)){\n\(body)"
                    block += "####\(escape(question.explanation))\n}\n"
                    blocks.append(block)
                }
            }
            guard blocks.count == item.variants.count else { continue }
            text += "$CATEGORY: $course$/top/mhalearn/\(item.exercise.set)/\(item.exercise.id)\n\n" + blocks.joined(separator: "\n") + "\n"
            questions += blocks.count
            exercises += 1
        }
        return (text, ExportResult(questions: questions, exercises: exercises, skipped: skipped))
    }

    /// The lines between a question's braces (without the general feedback), or why there are none.
    static func answers(_ question: Question) -> Result<String, ExportSkip> {
        var lines: [String] = []
        func wrongEntries(_ answer: (PreparedWrong.Form) -> String?) {
            for entry in question.wrong {
                if let written = answer(entry.form) { lines.append("=%0%\(written)#\(escape(entry.feedback))") }
            }
        }
        switch question.expected {
        case .number(let key, let tolerance):
            lines.append("=\(AnswerForms.number(key)):\(AnswerForms.number(tolerance))#Correct.")
            wrongEntries { form in
                if case .number(let value) = form { return "\(AnswerForms.number(value)):\(AnswerForms.number(tolerance))" }
                return nil
            }
            return .success("#\n" + lines.map { $0 + "\n" }.joined())
        case .shape(let dims):
            lines = AnswerForms.shape(dims).map { "=\(escape($0))" }
            wrongEntries { form in
                if case .shape(let wrong) = form { return escape(AnswerForms.shape(wrong)[0]) }
                return nil
            }
        case .choice:
            for option in question.options {
                lines.append((option.correct ? "=" : "~") + escape(option.text) + (option.feedback.map { "#" + escape($0) } ?? ""))
            }
        case .multi(let right):
            let weight = AnswerForms.multiPercent(right: right.count)
            for option in question.options {
                let percent = AnswerForms.percent(option.correct ? weight : -weight)
                lines.append("~%\(percent)%" + escape(option.text) + (option.feedback.map { "#" + escape($0) } ?? ""))
            }
        case .text:
            switch AnswerForms.text(question.exercise) {
            case .failure(let skip): return .failure(skip)
            case .success(let forms): lines = forms.map { "=\(escape($0))" }
            }
            for (index, entry) in question.exercise.wrong.enumerated() {
                guard let phrase = entry.text?.value, question.wrong.contains(where: { $0.index == index }) else { continue }
                lines.append("=%0%\(escape(phrase))#\(escape(question.wrong.first { $0.index == index }?.feedback ?? ""))")
            }
        }
        return .success(lines.map { $0 + "\n" }.joined())
    }

    /// `text` with GIFT's special characters (`~ = # { } :` and `\`) escaped and line breaks as `\n`.
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text.trimmingCharacters(in: .whitespacesAndNewlines) {
            switch character {
            case "\\", "~", "=", "#", "{", "}", ":": result += "\\" + String(character)
            case "\n": result += "\\n"
            case "\r": continue
            default: result.append(character)
            }
        }
        return result
    }
}
