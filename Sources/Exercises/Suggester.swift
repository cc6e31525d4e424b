import Foundation
import LiveValues
import ExpressionLanguage

/// Turns a wrong answer no `wrong` entry anticipated into an entry an instructor can paste: an
/// expression over the parameters where a simple one gives the value in this variant (a parameter,
/// or the key times or divided by a parameter or 2), else the value itself limited by `when:` to
/// the variant it was given in.
enum Suggester {
    /// The suggestion for `reading` (a number, shape or phrase) given to `question`, or nil for other readings.
    static func suggest(_ reading: Reading, typed: String, question: Question) -> Mistake.Suggestion? {
        let exercise = question.exercise
        let variant = VariantSpace.describe(question.bindings, order: exercise.given.map(\.name))
        let numeric = exercise.given.compactMap { parameter -> (name: String, value: Double)? in
            guard let value = question.bindings[parameter.name]?.number, value.isFinite else { return nil }
            return (parameter.name, value)
        }
        let condition = exercise.given.compactMap { parameter -> String? in
            guard let value = question.bindings[parameter.name] else { return nil }
            if case .string(let text) = value { return "\(parameter.name) == \"\(text)\"" }
            return "\(parameter.name) == \(ValueText.plain(value))"
        }.joined(separator: " and ")
        switch reading {
        case .number(let value):
            return number(value, question: question, numeric: numeric, condition: condition, variant: variant)
        case .quantity(let quantity):
            return number(quantity.value, question: question, numeric: numeric, condition: condition, variant: variant)
        case .shape(let dims):
            let named = dims.map { dim in numeric.first { $0.value == Double(dim) }?.name ?? String(dim) }
            let symbolic = zip(named, dims).contains { $0 != String($1) }
            let answer = "[" + named.joined(separator: ", ") + "]"
            let shown = "[" + dims.map(String.init).joined(separator: ", ") + "]"
            return make(answer: answer, field: "answer", when: symbolic || exercise.given.isEmpty ? nil : condition,
                        feedback: draft, example: shown, variant: variant)
        case .text(let key):
            guard !key.isEmpty else { return nil }
            let phrase = typed.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
            return make(answer: phrase, field: "text", when: nil, feedback: draft, example: phrase, variant: variant)
        default:
            return nil
        }
    }

    /// The feedback written into a suggested entry when no built-in slip explains the value.
    static let draft = "(what this answer misunderstands, for the learner)"

    private static func number(_ value: Double, question: Question, numeric: [(name: String, value: Double)],
                               condition: String, variant: String) -> Mistake.Suggestion? {
        guard case .number(let key, let tolerance) = question.expected else { return nil }
        let matches = { (target: Double) in target.isFinite && abs(value - target) <= tolerance + Grader.slack(for: target) }
        let shown = ValueText.decimal(value)
        let slip = Slip.recognise(value, key: key, tolerance: tolerance, question: question)?.sentence ?? draft
        let exercise = question.exercise
        if exercise.given.isEmpty {
            return make(answer: shown, field: "answer", when: nil, feedback: slip, example: shown, variant: variant)
        }
        let source = exercise.answer?.value ?? ""
        let wrapped = source.range(of: "^[A-Za-z_][A-Za-z0-9_.]*$", options: .regularExpression) != nil ? source : "(\(source))"
        var candidates: [(String, Double)] = numeric.map { ($0.name, $0.value) }
        for parameter in numeric where parameter.value != 0 && abs(parameter.value) != 1 {
            candidates.append(("\(wrapped) * \(parameter.name)", key * parameter.value))
            candidates.append(("\(wrapped) / \(parameter.name)", key / parameter.value))
        }
        candidates += [("\(wrapped) * 2", key * 2), ("\(wrapped) / 2", key / 2)]
        if !source.isEmpty, let found = candidates.first(where: { matches($0.1) && !matches(key) }) {
            return make(answer: found.0, field: "answer", when: nil, feedback: slip, example: shown, variant: variant)
        }
        return make(answer: shown, field: "answer", when: condition.isEmpty ? nil : condition, feedback: slip, example: shown, variant: variant)
    }

    private static func make(answer: String, field: String, when: String?, feedback: String, example: String, variant: String) -> Mistake.Suggestion {
        var entry = "- {\(field): \(quoted(answer))"
        if let when { entry += ", when: \(quoted(when))" }
        entry += ", feedback: \(quoted(feedback))}"
        let described = variant.isEmpty ? example : "\(example) with \(variant)"
        return Mistake.Suggestion(answer: when == nil ? answer : "\(answer) when \(when ?? "")", example: described, entry: entry)
    }

    /// `text` as a YAML single-quoted scalar.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
