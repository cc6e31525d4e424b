import Foundation
import LiveValues
import ExpressionLanguage
import MarkdownTerminal
import Support

/// An instructor's answer sheet for one exercise: variants with their key and the value of each
/// `wrong` entry, all of them for a small space, a fixed sample of a large one; or the single
/// variant chosen by given values or by a practice seed (a preview).
public struct AnswerSheet: Sendable {
    /// One variant on the sheet.
    public struct Row: Sendable {
        /// The parameter values, in declaration order.
        public var given: [(name: String, value: String)]
        /// The answer key as the learner would see it once the question is over.
        public var key: String
        /// Each `wrong` entry: its source (expression or phrase) and its answer for this variant,
        /// or nil when its `when:` does not hold.
        public var wrong: [(entry: String, value: String?)]
        /// The question as Markdown (prompt and lettered options), for a preview.
        public var prompt: String
        /// The seed a practice session poses this variant with, when the sheet was asked for by seed.
        public var seed: UInt64?
        /// The parameter values as values (numbers stay numbers), in declaration order.
        public var givenValues: [(name: String, value: Value)] = []
        /// The key as the grader holds it.
        public var expected: ExpectedAnswer = .text([])
        /// Each `wrong` entry's answer for this variant as the grader holds it, nil where its `when:` is false.
        public var wrongForms: [PreparedWrong.Form?] = []
        /// The question this row shows.
        public var question: Question?
    }

    /// The exercise.
    public var exercise: Exercise
    /// How many variants the space holds (see `VariantSpace.total`).
    public var total: Int
    /// Whether the space was enumerated in full.
    public var isComplete: Bool
    /// The variants shown.
    public var rows: [Row]
    /// Problems drawing some variant (an expression that fails), located.
    public var problems: [Diagnostic]

    /// What chooses the variants of a sheet.
    public enum Selection: Sendable {
        /// Every variant, or `limit` of them spread evenly when there are more.
        case all(limit: Int)
        /// The variants whose values match each `name=value` given (others free).
        case given([String: String])
        /// The variant a practice session draws with this seed.
        case seed(UInt64)
    }

    /// The sheet of `exercise` for `selection`, or why no variant matches (a sentence to show).
    public static func build(for exercise: Exercise, selection: Selection) -> Result<AnswerSheet, SheetError> {
        let space: VariantSpace
        switch VariantSpace.build(for: exercise) {
        case .success(let built): space = built
        case .failure(let problems): return .failure(.problems(problems.diagnostics))
        }
        var picks: [(space: VariantSpace, seed: UInt64)] = []
        switch selection {
        case .all(let limit):
            picks = spread(count: space.combinations.count, limit: limit).map { (space.only($0), UInt64($0)) }
        case .given(let wanted):
            let names = exercise.given.map(\.name)
            for name in wanted.keys.sorted() where !names.contains(name) {
                let guess = closest(name, in: names).map { "; did you mean `\($0)`?" }
                    ?? (names.isEmpty ? "; it has no parameters" : "; its parameters are \(names.joined(separator: ", "))")
                return .failure(.selection("`\(name)` is not a parameter of \(exercise.id)\(guess)"))
            }
            for (index, combination) in space.combinations.enumerated()
            where wanted.allSatisfy({ name, value in combination[name].map(ValueText.plain) == value }) {
                picks.append((space.only(index), UInt64(index)))
            }
            if picks.isEmpty {
                for parameter in exercise.given {
                    guard let value = wanted[parameter.name] else { continue }
                    let values = parameter.domain.values.map(ValueText.plain)
                    if !values.contains(value) {
                        let shown = values.count > 12 ? values.prefix(12).joined(separator: ", ") + ", …" : values.joined(separator: ", ")
                        return .failure(.selection("\(parameter.name) = \(value) is not a value of \(exercise.id); it takes \(shown)"))
                    }
                }
                let asked = wanted.keys.sorted().map { "\($0) = \(wanted[$0] ?? "")" }.joined(separator: ", ")
                return .failure(.selection("no variant of \(exercise.id) has \(asked)" + (space.isComplete ? "; `where` rules it out" : " among the sampled variants")))
            }
        case .seed(let seed):
            picks = [(space, seed)]
        }
        var sheet = AnswerSheet(exercise: exercise, total: space.total, isComplete: space.isComplete, rows: [], problems: [])
        for (variantSpace, seed) in picks {
            switch Question.make(exercise, space: variantSpace, seed: seed) {
            case .failure(let problems):
                sheet.problems += problems.diagnostics
            case .success(let question):
                var row = row(for: question)
                if case .seed = selection { row.seed = seed }
                sheet.rows.append(row)
            }
        }
        return .success(sheet)
    }

    static func row(for question: Question) -> Row {
        let exercise = question.exercise
        let given = exercise.given.compactMap { parameter in
            question.bindings[parameter.name].map { (name: parameter.name, value: ValueText.plain($0)) }
        }
        let key: String = switch question.expected {
        case .choice, .multi: question.options.filter(\.correct).map { $0.text.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "; ")
        case .text: exercise.accept.map(\.value).joined(separator: " | ")
        default: question.answerDescription
        }
        let forms = exercise.wrong.indices.map { index in question.wrong.first { $0.index == index }?.form }
        let wrong = zip(exercise.wrong, forms).map { entry, form -> (entry: String, value: String?) in
            (entry.expression?.value ?? entry.text?.value ?? "", form.map(text(of:)))
        }
        var row = Row(given: given, key: key, wrong: wrong, prompt: PromptRenderer.markdown(for: question), seed: nil)
        row.givenValues = exercise.given.compactMap { parameter in question.bindings[parameter.name].map { (parameter.name, $0) } }
        row.expected = question.expected
        row.wrongForms = forms
        row.question = question
        return row
    }

    /// A wrong entry's value as the sheet writes it: numbers as the key is written (`16,384`).
    static func text(of form: PreparedWrong.Form) -> String {
        switch form {
        case .number(let number): NumberText.decimal(number)
        case .shape(let dims): ValueText.plain(.shape(dims))
        case .text(let text): text
        }
    }

    /// The positions in a space of `count` combinations that a sheet of at most `limit` variants
    /// shows (and `export --variants limit` exports): all, or `limit` spread evenly.
    public static func spread(count: Int, limit: Int) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        let step = Double(count) / Double(max(limit, 1))
        return (0..<limit).map { Int(Double($0) * step) }
    }

    /// The practice seed that poses the variant with the `wanted` values (`practice --id ID --given …`):
    /// the smallest seed whose draw is that combination, so `--seed` poses it again.
    public static func seed(for exercise: Exercise, given wanted: [String: String]) -> Result<UInt64, SheetError> {
        let space: VariantSpace
        switch VariantSpace.build(for: exercise) {
        case .success(let built): space = built
        case .failure(let problems): return .failure(.problems(problems.diagnostics))
        }
        let target: Int
        switch build(for: exercise, selection: .given(wanted)) {
        case .failure(let error): return .failure(error)
        case .success:
            guard let index = space.combinations.firstIndex(where: { combination in
                wanted.allSatisfy { name, value in combination[name].map(ValueText.plain) == value }
            }) else {
                return .failure(.selection("no variant of \(exercise.id) has those values"))
            }
            target = index
        }
        let tries = UInt64(max(1_000, space.combinations.count * 64))
        for seed in UInt64(0)..<tries where space.drawIndex(seed: seed, exerciseID: exercise.id) == target {
            return .success(seed)
        }
        return .failure(.selection("no practice seed below \(tries) draws those values; `mhalearn check --sheet --id \(exercise.id) --given …` previews them"))
    }

    /// Parses `name=value,name=value` (as `--given` takes it), or says what is wrong with it.
    public static func parseGiven(_ text: String) -> Result<[String: String], SheetError> {
        var result: [String: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                return .failure(.selection("`\(part)` is not `name=value`; write --given d_model=512,h=8"))
            }
            result[pair[0]] = pair[1]
        }
        if result.isEmpty { return .failure(.selection("--given is empty; write --given d_model=512,h=8")) }
        return .success(result)
    }
}

/// Why an answer sheet could not be made.
public enum SheetError: Error, Sendable, Equatable {
    /// The exercise cannot be drawn at all (its `where` fails, say): located problems.
    case problems([Diagnostic])
    /// The chosen values or seed match no variant: a sentence saying why.
    case selection(String)
}
