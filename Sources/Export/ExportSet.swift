import Foundation
import Exercises
import ExpressionLanguage
import LiveValues

/// The formats `mhalearn export` writes questions in.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// Moodle's GIFT text format.
    case gift
    /// Moodle XML.
    case moodle
    /// IMS QTI 1.2 in a zip (Canvas, Blackboard).
    case qti
    /// An Anki package (`.apkg`) and its tab-separated import file.
    case anki
}

/// An exercise left out of an export, with the reason.
public struct ExportSkip: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }

    public var description: String { "\(id): \(reason)" }
}

/// The exercises of an export, each with the variants drawn for it: the same variants, with the
/// same keys, as `check --sheet --limit N` shows (`AnswerSheet.spread`).
public struct ExportSet: Sendable {
    /// One exercise and its variants.
    public struct Item: Sendable {
        public var exercise: Exercise
        /// The variants, each a question ready to be written.
        public var variants: [Question]
        /// How many variants the exercise has in all.
        public var total: Int
    }

    public var items: [Item]
    /// Exercises that could not be drawn, with the reason.
    public var skipped: [ExportSkip]

    /// The largest `--variants`.
    public static let maximumVariants = 1000

    /// Draws at most `variants` variants of each of `exercises`.
    public static func draw(_ exercises: [Exercise], variants: Int) -> ExportSet {
        var set = ExportSet(items: [], skipped: [])
        for exercise in exercises {
            switch AnswerSheet.build(for: exercise, selection: .all(limit: max(1, variants))) {
            case .success(let sheet) where sheet.problems.isEmpty:
                set.items.append(Item(exercise: exercise, variants: sheet.rows.compactMap(\.question), total: sheet.total))
            case .success(let sheet):
                set.skipped.append(ExportSkip(id: exercise.id, reason: "some variants cannot be drawn (\(sheet.problems.first.map(\.message) ?? "")); run `mhalearn check` on it"))
            case .failure(.problems(let problems)):
                set.skipped.append(ExportSkip(id: exercise.id, reason: "cannot be drawn (\(problems.first.map(\.message) ?? "")); run `mhalearn check` on it"))
            case .failure(.selection(let why)):
                set.skipped.append(ExportSkip(id: exercise.id, reason: why))
            }
        }
        return set
    }
}

/// What an export wrote, and what it left out.
public struct ExportResult: Sendable {
    /// Questions written (one per variant).
    public var questions: Int
    /// Exercises written.
    public var exercises: Int
    /// Exercises left out, with the reason.
    public var skipped: [ExportSkip]

    public init(questions: Int, exercises: Int, skipped: [ExportSkip]) {
        self.questions = questions
        self.exercises = exercises
        self.skipped = skipped
    }
}

/// How answers are written for formats that compare text.
enum AnswerForms {
    /// The forms a learner may type a shape in, for a short-answer question: `[11, 64]`, `[11,64]`,
    /// `11, 64`, `11,64`, `11 x 64`, `11x64`, `11 × 64`, `(11, 64)`.
    static func shape(_ dims: [Int]) -> [String] {
        let parts = dims.map(String.init)
        return ["[" + parts.joined(separator: ", ") + "]", "[" + parts.joined(separator: ",") + "]",
                parts.joined(separator: ", "), parts.joined(separator: ","), parts.joined(separator: " x "),
                parts.joined(separator: "x"), parts.joined(separator: " × "), "(" + parts.joined(separator: ", ") + ")"]
    }

    /// The accepted phrases of a text exercise as a short-answer question's answers, or why they
    /// cannot be: mhalearn compares letters and digits alone (spaces, punctuation, case and a
    /// leading article ignored), which an LMS's exact match reproduces only for one-word phrases.
    static func text(_ exercise: Exercise) -> Result<[String], ExportSkip> {
        var forms: [String] = []
        for phrase in exercise.accept.map(\.value) {
            let word = phrase.trimmingCharacters(in: .whitespaces).lowercased()
            guard !word.isEmpty, word.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) }) else {
                return .failure(ExportSkip(id: exercise.id, reason: "its accepted phrase `\(phrase)` is matched ignoring spaces, punctuation and case, which a short-answer question's exact match cannot express; accept one-word phrases to export it"))
            }
            for form in [word, "the " + word, "a " + word, "an " + word] where !forms.contains(form) { forms.append(form) }
        }
        return .success(forms)
    }

    /// A number as written in an answer key: plain digits, no grouping, and every digit the key
    /// has (the shortest text that reads back as the same double), so the key is the sheet's.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// The credit, in percent, of each right option of a `multi` question with `right` right
    /// options (and minus that for each wrong one), as mhalearn grades it: each wrong pick cancels
    /// a right one, never below zero.
    static func multiPercent(right: Int) -> Double { 100 / Double(max(right, 1)) }

    /// A percentage written with at most five decimals, as Moodle lists its grade fractions.
    static func percent(_ value: Double) -> String {
        var text = String(format: "%.5f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// The variant's parameters as a line (`d_model = 512, h = 8`), empty without parameters.
func variantLine(_ question: Question) -> String {
    VariantSpace.describe(question.bindings, order: question.exercise.given.map(\.name))
}
