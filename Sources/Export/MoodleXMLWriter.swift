import Foundation
import Exercises
import ExpressionLanguage
import LiveValues

/// Writes questions as Moodle XML: a category per exercise holding its variants (`numerical` with
/// the tolerance, `multichoice` with per-option feedback, `shortanswer` for shapes and one-word
/// phrases), or a single `calculated` question when the key, the `wrong` entries and every value
/// the prompt and explanation show are formulas Moodle can evaluate over the parameters.
/// A retry costs half the credit (`penalty` 0.5), as in practice.
public enum MoodleXMLWriter {
    /// The XML of `set`, with the exercises it could not express.
    public static func write(_ set: ExportSet) -> (text: String, result: ExportResult) {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"
        var skipped = set.skipped
        var questions = 0, exercises = 0
        for item in set.items {
            var written: [String] = []
            if item.exercise.kind == .number, let calculated = calculated(item) {
                written = [calculated]
            } else {
                for (number, question) in item.variants.enumerated() {
                    switch self.question(question, name: "\(item.exercise.id) \(number + 1)") {
                    case .success(let text): written.append(text)
                    case .failure(let skip): if !skipped.contains(skip) { skipped.append(skip) }
                    }
                }
                guard written.count == item.variants.count else { continue }
            }
            xml += "  <question type=\"category\">\n    <category><text>$course$/top/mhalearn/\(Markup.escape(item.exercise.set))/\(Markup.escape(item.exercise.id))</text></category>\n  </question>\n"
            xml += written.joined()
            questions += written.count
            exercises += 1
        }
        return (xml + "</quiz>\n", ExportResult(questions: questions, exercises: exercises, skipped: skipped))
    }

    static func text(_ tag: String, _ content: String, markdown: Bool = false, indent: String = "    ") -> String {
        "\(indent)<\(tag) format=\"\(markdown ? "markdown" : "plain_text")\"><text>\(Markup.escape(content))</text></\(tag)>\n"
    }

    static func head(_ type: String, name: String, prompt: String, explanation: String) -> String {
        "  <question type=\"\(type)\">\n    <name><text>\(Markup.escape(name))</text></name>\n"
            + text("questiontext", prompt, markdown: true) + text("generalfeedback", explanation, markdown: true)
            + "    <defaultgrade>1</defaultgrade>\n    <penalty>0.5</penalty>\n    <hidden>0</hidden>\n"
    }

    static func answer(_ fraction: Double, _ value: String, feedback: String?, tolerance: Double? = nil) -> String {
        var text = "    <answer fraction=\"\(AnswerForms.percent(fraction))\" format=\"plain_text\">\n      <text>\(Markup.escape(value))</text>\n"
        if let tolerance { text += "      <tolerance>\(AnswerForms.number(tolerance))</tolerance>\n" }
        text += "      <feedback format=\"markdown\"><text>\(Markup.escape(feedback ?? ""))</text></feedback>\n    </answer>\n"
        return text
    }

    /// One variant as a question, or why it cannot be written.
    static func question(_ question: Question, name: String) -> Result<String, ExportSkip> {
        let start = { (type: String) in head(type, name: name, prompt: question.prompt, explanation: question.explanation) }
        switch question.expected {
        case .number(let key, let tolerance):
            var xml = start("numerical") + answer(100, AnswerForms.number(key), feedback: "Correct.", tolerance: tolerance)
            for entry in question.wrong {
                if case .number(let value) = entry.form { xml += answer(0, AnswerForms.number(value), feedback: entry.feedback, tolerance: tolerance) }
            }
            return .success(xml + "  </question>\n")
        case .shape(let dims):
            var xml = start("shortanswer") + "    <usecase>0</usecase>\n"
            xml += AnswerForms.shape(dims).map { answer(100, $0, feedback: "Correct.") }.joined()
            for entry in question.wrong {
                if case .shape(let wrong) = entry.form { xml += answer(0, AnswerForms.shape(wrong)[0], feedback: entry.feedback) }
            }
            return .success(xml + "  </question>\n")
        case .choice, .multi:
            let single = question.exercise.kind == .choice
            let right = question.options.filter(\.correct).count
            var xml = start("multichoice")
            xml += "    <single>\(single)</single>\n    <shuffleanswers>1</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n"
            for option in question.options {
                let weight = single ? (option.correct ? 100 : 0) : (option.correct ? 1 : -1) * AnswerForms.multiPercent(right: right)
                xml += answer(weight, option.text, feedback: option.feedback).replacingOccurrences(of: "format=\"plain_text\">\n      <text>", with: "format=\"markdown\">\n      <text>")
            }
            return .success(xml + "  </question>\n")
        case .text:
            switch AnswerForms.text(question.exercise) {
            case .failure(let skip): return .failure(skip)
            case .success(let forms):
                var xml = start("shortanswer") + "    <usecase>0</usecase>\n" + forms.map { answer(100, $0, feedback: "Correct.") }.joined()
                for (index, entry) in question.exercise.wrong.enumerated() {
                    guard let phrase = entry.text?.value, let prepared = question.wrong.first(where: { $0.index == index }) else { continue }
                    xml += answer(0, phrase, feedback: prepared.feedback)
                }
                return .success(xml + "  </question>\n")
            }
        }
    }

    /// The exercise as one `calculated` question over datasets holding its drawn variants, or nil
    /// when some expression is not a formula Moodle can evaluate.
    static func calculated(_ item: ExportSet.Item) -> String? {
        let exercise = item.exercise
        let names = Set(exercise.given.map(\.name))
        guard !names.isEmpty, let key = exercise.answer.flatMap({ MoodleFormula.convert($0.value, parameters: names) }),
              case .number(_, let tolerance)? = item.variants.first?.expected,
              let prompt = MoodleFormula.substitute(exercise.prompt.value, parameters: names),
              let explanation = MoodleFormula.substitute(exercise.explain, parameters: names) else { return nil }
        var wrong: [(String, String)] = []
        for entry in exercise.wrong {
            guard entry.when == nil, let source = entry.expression?.value, let formula = MoodleFormula.convert(source, parameters: names),
                  let feedback = MoodleFormula.substitute(entry.feedback, parameters: names) else { return nil }
            wrong.append((formula, feedback))
        }
        var columns: [String: [String]] = [:]
        for parameter in exercise.given {
            for question in item.variants {
                guard let value = question.bindings[parameter.name]?.number, value.isFinite else { return nil }
                columns[parameter.name, default: []].append(AnswerForms.number(value))
            }
        }
        func formulaAnswer(_ fraction: Double, _ formula: String, _ feedback: String) -> String {
            "    <answer fraction=\"\(AnswerForms.percent(fraction))\">\n      <text>\(Markup.escape(formula))</text>\n"
                + "      <tolerance>\(AnswerForms.number(tolerance))</tolerance>\n      <tolerancetype>2</tolerancetype>\n"
                + "      <correctanswerformat>1</correctanswerformat>\n      <correctanswerlength>6</correctanswerlength>\n"
                + "      <feedback format=\"markdown\"><text>\(Markup.escape(feedback))</text></feedback>\n    </answer>\n"
        }
        var xml = head("calculated", name: exercise.id, prompt: prompt, explanation: explanation)
        xml += "    <synchronize>1</synchronize>\n    <single>0</single>\n    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n"
        xml += formulaAnswer(100, key, "Correct.")
        for (formula, feedback) in wrong { xml += formulaAnswer(0, formula, feedback) }
        xml += "    <dataset_definitions>\n"
        for parameter in exercise.given {
            let values = columns[parameter.name] ?? []
            let numbers = values.compactMap(Double.init)
            xml += "      <dataset_definition>\n        <status><text>private</text></status>\n        <name><text>\(Markup.escape(parameter.name))</text></name>\n"
            xml += "        <type>calculated</type>\n        <distribution><text>uniform</text></distribution>\n"
            xml += "        <minimum><text>\(AnswerForms.number(numbers.min() ?? 0))</text></minimum>\n        <maximum><text>\(AnswerForms.number(numbers.max() ?? 0))</text></maximum>\n"
            xml += "        <decimals><text>\(values.contains { $0.contains(".") } ? 6 : 0)</text></decimals>\n        <itemcount>\(values.count)</itemcount>\n        <dataset_items>\n"
            for (number, value) in values.enumerated() {
                xml += "          <dataset_item><number>\(number + 1)</number><value>\(value)</value></dataset_item>\n"
            }
            xml += "        </dataset_items>\n        <number_of_items>\(values.count)</number_of_items>\n      </dataset_definition>\n"
        }
        return xml + "    </dataset_definitions>\n  </question>\n"
    }
}

/// The expression language's arithmetic written as a Moodle formula: parameters as `{name}`,
/// `^` as `pow`, and only the functions Moodle evaluates.
enum MoodleFormula {
    static let functions: Set<String> = ["sqrt", "exp", "log", "abs", "min", "max", "floor", "ceil", "round"]

    /// `source` as a Moodle formula over `parameters`, or nil when it uses anything else.
    static func convert(_ source: String, parameters: Set<String>) -> String? {
        guard let expression = try? Evaluator.parse(source) else { return nil }
        return write(expression, parameters: parameters)
    }

    static func write(_ expression: ExpressionLanguage.Expression, parameters: Set<String>) -> String? {
        switch expression {
        case .literal(let value, _):
            guard let number = value.number, number.isFinite else { return nil }
            return AnswerForms.number(number)
        case .name(let name, _):
            return parameters.contains(name) ? "{\(name)}" : nil
        case .unary("-", let operand, _):
            return write(operand, parameters: parameters).map { "(-\($0))" }
        case .binary(let op, let left, let right, _):
            guard let a = write(left, parameters: parameters), let b = write(right, parameters: parameters) else { return nil }
            switch op {
            case "+", "-", "*", "/": return "(\(a) \(op) \(b))"
            case "^": return "pow(\(a), \(b))"
            case "%": return "fmod(\(a), \(b))"
            case "//": return "floor(\(a) / \(b))"
            default: return nil
            }
        case .call(.name(let function, _), let arguments, _):
            guard functions.contains(function), arguments.allSatisfy({ $0.label == nil }) else { return nil }
            let written = arguments.compactMap { write($0.value, parameters: parameters) }
            guard written.count == arguments.count else { return nil }
            return "\(function)(\(written.joined(separator: ", ")))"
        default:
            return nil
        }
    }

    /// Markdown `text` with each `` `= EXPR` `` span written as `{name}` or `{=formula}`, or nil
    /// when a span is not a formula Moodle can evaluate.
    static func substitute(_ text: String, parameters: Set<String>) -> String? {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "`= ") {
            result += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "`") else { return nil }
            let source = String(after[..<close]).trimmingCharacters(in: .whitespaces)
            guard let formula = convert(source, parameters: parameters) else { return nil }
            result += parameters.contains(source) ? "{\(source)}" : "{=\(formula)}"
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }
}
