import LiveValues
import ExpressionLanguage
import MarkdownTerminal

/// An option as the learner sees it: substituted text, in the seed's order.
public struct PresentedOption: Sendable {
    /// The option text with `= EXPR` spans replaced by values.
    public var text: String
    /// Whether it is a correct option.
    public var correct: Bool
    /// The feedback for choosing it.
    public var feedback: String?
    /// The option's position in the file (0-based).
    public var originalIndex: Int

    /// The letter it is answered by, for position `index`.
    public static func letter(_ index: Int) -> String { KeyOption.letter(index) }
}

/// A wrong-answer entry evaluated for one variant: the grader's `WrongEntry`.
public typealias PreparedWrong = WrongEntry

/// One variant of an exercise, ready to be posed and graded.
public struct Question: Sendable {
    /// The exercise it was drawn from.
    public var exercise: Exercise
    /// The variant seed.
    public var seed: UInt64
    /// The drawn parameters.
    public var bindings: [String: Value]
    /// The prompt as Markdown, with `= EXPR` spans replaced by values.
    public var prompt: String
    /// The options in presented order (choice and multi).
    public var options: [PresentedOption]
    /// The answer key.
    public var expected: ExpectedAnswer
    /// The anticipated wrong answers, evaluated.
    public var wrong: [PreparedWrong]
    /// The hints, with spans substituted.
    public var hints: [String]
    /// The explanation, with spans substituted.
    public var explanation: String

    /// The answer as a learner would write it: `64`, `[11, 64]`, `b`, `a, c`, or the first accepted phrase.
    public var answerText: String {
        switch expected {
        case .number(let value, _):
            return ValueText.decimal(value)
        case .shape(let dims):
            return ValueText.plain(.shape(dims))
        case .choice(let index):
            return PresentedOption.letter(index)
        case .multi(let indices):
            return indices.sorted().map(PresentedOption.letter).joined(separator: ", ")
        case .text:
            return exercise.accept.first?.value ?? ""
        }
    }

    /// The answer spelled out for the learner once the question is over.
    public var answerDescription: String {
        switch expected {
        case .choice(let index):
            return "\(PresentedOption.letter(index))) \(options[index].text)"
        case .multi(let indices):
            return indices.sorted().map { "\(PresentedOption.letter($0))) \(options[$0].text)" }.joined(separator: "; ")
        case .number(let value, let tolerance) where tolerance > 0:
            return "\(NumberText.decimal(value)) (± \(NumberText.decimal(tolerance)))"
        case .number(let value, _):
            return NumberText.decimal(value)
        default:
            return answerText
        }
    }

    /// A line telling the learner how precise a number must be, when a tolerance applies.
    public var toleranceNote: String? {
        if case .number(_, let tolerance) = expected, tolerance > 0 {
            return "Answers within ± \(ValueText.decimal(tolerance)) count as correct."
        }
        return nil
    }

    /// Draws variant `seed` of `exercise` from `space`, evaluating every expression it needs.
    public static func make(_ exercise: Exercise, space: VariantSpace, seed: UInt64) -> Result<Question, ExerciseProblems> {
        make(exercise, space: space, seed: seed, memo: nil)
    }

    /// Draws variant `seed`, reusing the values `memo` holds for expressions of earlier variants
    /// drawn with the same bindings from the same `space` (and remembering the new ones).
    static func make(_ exercise: Exercise, space: VariantSpace, seed: UInt64, memo: EvaluationMemo?) -> Result<Question, ExerciseProblems> {
        let index = space.drawIndex(seed: seed, exerciseID: exercise.id)
        let bindings = index.map { space.combinations[$0] } ?? [:]
        var builder = QuestionBuilder(exercise: exercise, bindings: bindings)
        builder.memo = memo
        builder.combination = index ?? -1
        let prompt = builder.substitute(exercise.prompt.value, at: exercise.prompt.location, field: "prompt")
        let hints = exercise.hints.enumerated().map { offset, hint in
            builder.substitute(hint, at: offset < exercise.hintLocations.count ? exercise.hintLocations[offset] : exercise.location, field: "hints")
        }
        let explanation = builder.substitute(exercise.explain, at: exercise.explainLocation ?? exercise.location, field: "explain")

        var options: [PresentedOption] = []
        var expected: ExpectedAnswer = .text([])
        var wrong: [PreparedWrong] = []
        switch exercise.kind {
        case .number:
            if let value = builder.number(exercise.answer) { expected = .number(value, tolerance: exercise.tolerance ?? 0) }
        case .shape:
            if let dims = builder.shape(exercise.answer) { expected = .shape(dims) }
        case .choice, .multi:
            var generator = SeededGenerator(seed: seed, label: "options:" + exercise.id)
            let order = generator.shuffled(Array(exercise.options.indices))
            options = order.map { index in
                let option = exercise.options[index]
                return PresentedOption(
                    text: builder.substitute(option.text, at: option.textLocation ?? option.location, field: "option text"),
                    correct: option.correct,
                    feedback: option.feedback.map { builder.substitute($0, at: option.feedbackLocation ?? option.location, field: "option feedback") },
                    originalIndex: index)
            }
            let correct = options.indices.filter { options[$0].correct }
            expected = exercise.kind == .choice ? .choice(correct.first ?? 0) : .multi(Set(correct))
        case .text:
            expected = .text(Set(exercise.accept.map { AnswerReader.textKey($0.value) }))
        }
        for (index, entry) in exercise.wrong.enumerated() {
            if let when = entry.when, !builder.holds(when) { continue }
            let feedback = builder.substitute(entry.feedback, at: entry.feedbackLocation ?? entry.location, field: "feedback")
            switch exercise.kind {
            case .number:
                if let value = builder.number(entry.expression) { wrong.append(PreparedWrong(form: .number(value), feedback: feedback, index: index)) }
            case .shape:
                if let dims = builder.shape(entry.expression) { wrong.append(PreparedWrong(form: .shape(dims), feedback: feedback, index: index)) }
            case .text:
                if let text = entry.text { wrong.append(PreparedWrong(form: .text(AnswerReader.textKey(text.value)), feedback: feedback, index: index)) }
            case .choice, .multi:
                break
            }
        }
        guard builder.diagnostics.isEmpty else { return .failure(ExerciseProblems(builder.diagnostics)) }
        return .success(Question(exercise: exercise, seed: seed, bindings: bindings, prompt: prompt, options: options,
                                 expected: expected, wrong: wrong, hints: hints, explanation: explanation))
    }
}

/// Evaluates the expressions of one variant, collecting located diagnostics.
struct QuestionBuilder {
    let exercise: Exercise
    let bindings: [String: Value]
    var diagnostics: [Diagnostic] = []
    /// Values already computed for these bindings, when the caller keeps them.
    var memo: EvaluationMemo?
    /// The position of `bindings` in the variant space, the memo's key with the source.
    var combination = -1

    init(exercise: Exercise, bindings: [String: Value]) {
        self.exercise = exercise
        self.bindings = bindings
    }

    var context: String {
        let described = VariantSpace.describe(bindings, order: exercise.given.map(\.name))
        return described.isEmpty ? "" : " (with \(described))"
    }

    mutating func evaluate(_ expression: Located<String>, field: String) -> Value? {
        let result: Result<Value, ExpressionError>
        if let memo {
            result = memo.value(of: expression.value, combination: combination) {
                Expressions.evaluate(expression.value, bindings: bindings)
            }
        } else {
            result = Expressions.evaluate(expression.value, bindings: bindings)
        }
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            diagnostics.append(Diagnostic(at: Expressions.location(of: error, in: expression.location), "in `\(field)`\(context): \(error.message)"))
            return nil
        }
    }

    /// Whether a `wrong` entry's `when:` holds for these bindings; an error or a value that is not
    /// true or false is reported at the condition and counts as false.
    mutating func holds(_ condition: Located<String>) -> Bool {
        guard let value = evaluate(condition, field: "when") else { return false }
        if case .boolean(let flag) = value { return flag }
        diagnostics.append(Diagnostic(at: condition.location, "`when` must be true or false, but `\(condition.value)` gave \(ValueText.plain(value))\(context)"))
        return false
    }

    mutating func number(_ expression: Located<String>?) -> Double? {
        guard let expression, let value = evaluate(expression, field: "answer") else { return nil }
        guard let number = value.number, number.isFinite else {
            diagnostics.append(Diagnostic(at: expression.location, "a number exercise's `answer` must give a number, but `\(expression.value)` gave \(ValueText.plain(value))\(context)"))
            return nil
        }
        return number
    }

    mutating func shape(_ expression: Located<String>?) -> [Int]? {
        guard let expression, let value = evaluate(expression, field: "answer") else { return nil }
        if let dims = Self.dimensions(of: value) { return dims }
        diagnostics.append(Diagnostic(at: expression.location, "a shape exercise's `answer` must give a shape such as [11, 64], but `\(expression.value)` gave \(ValueText.plain(value))\(context)"))
        return nil
    }

    static func dimensions(of value: Value) -> [Int]? {
        switch value {
        case .shape(let dims):
            return dims
        case .list(let items):
            var dims: [Int] = []
            for item in items {
                guard case .integer(let dim) = item else { return nil }
                dims.append(dim)
            }
            return dims.isEmpty ? nil : dims
        case .object(let object):
            if let shape = object.member("shape") { return dimensions(of: shape) }
            return nil
        default:
            return nil
        }
    }

    /// Replaces every `` `= EXPR` `` span in Markdown `text` by the value of EXPR.
    mutating func substitute(_ text: String, at start: SourceLocation, field: String) -> String {
        var result = ""
        var lineOffset = 0
        var column = 0
        var rest = Substring(text)
        while let open = rest.range(of: "`= ") {
            let before = rest[rest.startIndex..<open.lowerBound]
            result += before
            advance(&lineOffset, &column, over: before)
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "`") else {
                result += rest[open.lowerBound...]
                rest = ""
                break
            }
            let source = String(afterOpen[afterOpen.startIndex..<close])
            let spanStart = SourceLocation(path: start.path, line: start.line + lineOffset,
                                           column: start.column + column + 3)
            if let value = evaluate(Located(source, at: spanStart), field: field) {
                result += ValueText.display(value)
            } else {
                result += "`\(source)`"
            }
            advance(&lineOffset, &column, over: rest[open.lowerBound...close])
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        result += rest
        return result
    }

    private func advance(_ line: inout Int, _ column: inout Int, over text: Substring) {
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                line += 1
                column = 0
            } else {
                column += 1
            }
        }
    }
}

/// Values of expressions by source and variant-space combination, for one exercise checked on one
/// thread: a variant drawn with bindings seen before evaluates nothing again.
final class EvaluationMemo {
    private struct Key: Hashable {
        let combination: Int
        let source: String
    }

    private var values: [Key: Result<Value, ExpressionError>] = [:]

    /// The remembered result for `source` with the bindings at `combination`, or `compute()`'s, remembered.
    func value(of source: String, combination: Int, compute: () -> Result<Value, ExpressionError>) -> Result<Value, ExpressionError> {
        let key = Key(combination: combination, source: source)
        if let found = values[key] { return found }
        let made = compute()
        values[key] = made
        return made
    }
}
