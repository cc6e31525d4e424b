import Foundation
import AttentionCore
import LiveValues
import ExpressionLanguage

/// What checking exercise files found.
public struct ExerciseCheckReport: Sendable {
    /// Every problem, located at `file:line:col`.
    public var diagnostics: [Diagnostic]
    /// How many files were read.
    public var files: Int
    /// How many exercises were well formed enough to check.
    public var exercises: Int
    /// How many variants (exercise × seed) were drawn and proved.
    public var variants: Int

    /// Whether nothing is wrong.
    public var passed: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// Proves exercise files before a learner sees them.
///
/// For each exercise and each of `seeds` variant seeds: the variant can be drawn (`where` is
/// satisfiable, every expression evaluates); the computed answer, typed back, passes the grader;
/// every `wrong` entry is graded wrong and triggers its own feedback (not the key's, not another
/// entry's); an unreadable answer gets a format message; and the prompt renders. For number, shape
/// and text exercises, a seed that draws the same parameters as an earlier seed is not proved again.
public enum ExerciseChecker {
    /// Seeds checked per exercise unless told otherwise.
    public static let defaultSeeds = 50

    /// Checks one file.
    public static func check(fileAt url: URL, seeds: Int = defaultSeeds, displayPath: String? = nil) -> ExerciseCheckReport {
        let result = ExerciseLoader.load(fileAt: url, displayPath: displayPath)
        var report = ExerciseCheckReport(diagnostics: result.diagnostics, files: 1, exercises: 0, variants: 0)
        for part in check(result.file.exercises, seeds: seeds) { add(part, to: &report) }
        return report
    }

    /// Checks several files together, so an id used in two of them is reported too.
    /// Paths in diagnostics are relative to `base` when given.
    public static func check(filesAt urls: [URL], seeds: Int = defaultSeeds, relativeTo base: URL? = nil) -> ExerciseCheckReport {
        let bank = ExerciseBank.load(files: urls, relativeTo: base)
        var report = ExerciseCheckReport(diagnostics: bank.diagnostics, files: bank.files.count, exercises: 0, variants: 0)
        for part in check(bank.exercises, seeds: seeds) { add(part, to: &report) }
        report.diagnostics.sort { ($0.location.path, $0.location.line, $0.location.column) < ($1.location.path, $1.location.line, $1.location.column) }
        return report
    }

    /// Checks `exercises` on the core's worker threads (`MHALEARN_THREADS`, else one per processor),
    /// each over `seeds` variants, returning their reports in the order of `exercises`.
    static func check(_ exercises: [Exercise], seeds: Int) -> [ExerciseCheckReport] {
        let threads = min(Parallel.threadCount, exercises.count)
        guard threads > 1 else { return exercises.map { check($0, seeds: seeds) } }
        let source = RealModelSource.current
        let lock = NSLock()
        var next = 0
        var reports = [ExerciseCheckReport?](repeating: nil, count: exercises.count)
        reports.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                RealModelSource.$current.withValue(source) {
                    while true {
                        lock.lock()
                        let index = next
                        next += 1
                        lock.unlock()
                        guard index < exercises.count else { return }
                        slots[index] = check(exercises[index], seeds: seeds)
                    }
                }
            }
        }
        return reports.compactMap { $0 }
    }

    /// Checks one exercise over `seeds` variants.
    public static func check(_ exercise: Exercise, seeds: Int = defaultSeeds) -> ExerciseCheckReport {
        var findings = Findings()
        var variants = 0
        switch VariantSpace.build(for: exercise) {
        case .failure(let problems):
            findings.add(problems.diagnostics)
        case .success(let space):
            var proven = Set<String>()
            let memo = EvaluationMemo()
            var rendered = Set<String>()
            let names = exercise.given.map(\.name)
            for seed in 0..<UInt64(max(seeds, 1)) {
                let bindings = VariantSpace.describe(space.draw(seed: seed, exerciseID: exercise.id), order: names)
                let orderMatters = exercise.kind == .choice || exercise.kind == .multi
                guard proven.insert(orderMatters ? "\(bindings)#\(seed)" : bindings).inserted else {
                    variants += 1
                    continue
                }
                switch Question.make(exercise, space: space, seed: seed, memo: memo) {
                case .failure(let problems):
                    findings.add(problems.diagnostics)
                case .success(let question):
                    variants += 1
                    prove(question, into: &findings, rendered: &rendered)
                }
            }
        }
        return ExerciseCheckReport(diagnostics: findings.diagnostics, files: 0, exercises: 1, variants: variants)
    }

    private static func add(_ part: ExerciseCheckReport, to report: inout ExerciseCheckReport) {
        report.diagnostics += part.diagnostics
        report.exercises += part.exercises
        report.variants += part.variants
    }

    /// Diagnostics kept once per location, so one mistake is not reported fifty times.
    struct Findings {
        var diagnostics: [Diagnostic] = []
        var seen = Set<SourceLocation>()

        mutating func add(_ new: [Diagnostic]) {
            for diagnostic in new where seen.insert(diagnostic.location).inserted {
                diagnostics.append(diagnostic)
            }
        }

        mutating func add(_ location: SourceLocation, _ message: String) {
            add([Diagnostic(at: location, message)])
        }
    }

    static func prove(_ question: Question, into findings: inout Findings) {
        var rendered = Set<String>()
        prove(question, into: &findings, rendered: &rendered)
    }

    /// Proves one variant; a prompt whose Markdown is in `rendered` was rendered (and found
    /// non-empty) for an earlier variant, so it is not rendered again.
    static func prove(_ question: Question, into findings: inout Findings, rendered: inout Set<String>) {
        let exercise = question.exercise
        let context: String = {
            let described = VariantSpace.describe(question.bindings, order: exercise.given.map(\.name))
            return described.isEmpty ? "" : " with \(described)"
        }()
        let keyLocation = exercise.answer?.location ?? exercise.location

        switch question.expected {
        case .number(let value, _):
            if exercise.tolerance == nil, value.rounded() != value {
                findings.add(keyLocation, "the answer is \(ValueText.decimal(value))\(context), not a whole number; give a `tolerance` so learners know how precise to be")
            }
        case .multi(let indices) where indices.count == question.options.count:
            findings.add(exercise.location, "every option is correct, so choosing all of them needs no thought; add an option that is not right")
        default:
            break
        }

        var keyForms = [question.answerText]
        if case .choice(let index) = question.expected { keyForms.append(question.options[index].text) }
        if exercise.kind == .text { keyForms = exercise.accept.map(\.value) }
        for (offset, form) in keyForms.enumerated() {
            let grade = Grader.grade(form, for: question)
            if grade.outcome != .correct {
                let location = exercise.kind == .text ? exercise.accept[offset].location : keyLocation
                findings.add(location, "the answer key typed back as `\(form)`\(context) is graded \(grade.outcome.rawValue) (\(grade.feedback.joined(separator: " ")))")
            }
        }

        proveNotations(question, context: context, into: &findings)

        for entry in question.wrong {
            let source = exercise.wrong[entry.index]
            let location = source.expression?.location ?? source.text?.location ?? source.location
            let typed: String = switch entry.form {
            case .number(let value): ValueText.decimal(value)
            case .shape(let dims): ValueText.plain(.shape(dims))
            case .text: source.text?.value ?? ""
            }
            let grade = Grader.grade(typed, for: question)
            switch (grade.outcome, grade.matchedWrong) {
            case (.wrong, entry.index):
                continue
            case (.correct, _):
                findings.add(location, "this wrong answer is `\(typed)`\(context), which the grader accepts as correct; a learner giving it would be told they are right")
            case (.wrong, .some(let other)):
                let first = exercise.wrong[other].location
                findings.add(location, "this wrong answer is `\(typed)`\(context), the same as the entry at \(first.line):\(first.column), whose feedback is shown instead")
            case (.unreadable, _):
                findings.add(location, "this wrong answer is `\(typed)`\(context), which a learner cannot type: \(grade.feedback.joined(separator: " "))")
            default:
                findings.add(location, "this wrong answer is `\(typed)`\(context), but the grader does not give its feedback")
            }
        }

        for garbage in unreadableProbes(for: exercise.kind) {
            let grade = Grader.grade(garbage, for: question)
            if grade.outcome != .unreadable || grade.feedback.isEmpty {
                findings.add(exercise.location, "the unreadable answer `\(garbage)` was graded \(grade.outcome.rawValue) instead of getting a format message")
            }
        }

        let seenOptions = Dictionary(grouping: question.options.indices, by: { AnswerReader.textKey(question.options[$0].text) })
        for (_, indices) in seenOptions where indices.count > 1 {
            let option = question.options[indices[1]]
            findings.add(option.location(in: exercise), "two options read the same\(context), so a learner could not tell them apart")
        }

        let markdown = PromptRenderer.markdown(for: question)
        if !rendered.contains(markdown) {
            let text = PromptRenderer(width: 80, color: false).render(markdown)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                findings.add(exercise.prompt.location, "the prompt renders as nothing\(context)")
            } else {
                rendered.insert(markdown)
            }
        }
    }

    /// Proves that the key written in every documented notation that fits it is graded correct,
    /// and that no built-in slip recogniser fires on the key itself.
    static func proveNotations(_ question: Question, context: String, into findings: inout Findings) {
        let exercise = question.exercise
        let location = exercise.answer?.location ?? exercise.location
        for form in notations(of: question) {
            let grade = Grader.grade(form, for: question)
            if grade.outcome != .correct {
                findings.add(location, "the answer key written as `\(form)`\(context) is graded \(grade.outcome.rawValue) (\(grade.feedback.joined(separator: " "))); every documented notation of the key must pass")
            }
        }
        if case .number(let key, let tolerance) = question.expected,
           let slip = Slip.recognise(key, key: key, tolerance: tolerance, question: question) {
            findings.add(location, "the built-in slip `\(slip.name)` fires on the answer key itself\(context)")
        }
    }

    /// The key written in each documented notation that can express it (see docs/authoring.md).
    static func notations(of question: Question) -> [String] {
        switch question.expected {
        case .number(let value, _):
            guard value.rounded() == value, abs(value) < 1e12 else { return [ValueText.decimal(value)] }
            let key = Int(value)
            var forms = [String(key), "\(key).0", "answer = \(key)"]
            if let unit = question.exercise.unit { forms.append("\(key) \(unit.words[1])") }
            if key >= 1000 {
                var withCommas = "", digits = Array(String(key.magnitude))
                for (index, digit) in digits.enumerated() {
                    if index > 0, (digits.count - index) % 3 == 0 { withCommas.append(",") }
                    withCommas.append(digit)
                }
                let sign = key < 0 ? "-" : ""
                for separator in [",", " ", "\u{2009}", "_"] {
                    forms.append(sign + withCommas.replacingOccurrences(of: ",", with: separator))
                }
            }
            if (0...20).contains(key) { forms.append(AnswerReader.numberWords[key]) }
            if key > 3, let factor = (2...Int(Double(key).squareRoot())).first(where: { key % $0 == 0 }) {
                forms += ["\(factor) x \(key / factor)", "\(factor)x\(key / factor)", "\(factor) * \(key / factor)", "\(factor) × \(key / factor)"]
            }
            if key >= 0, key < 1_000_000 { forms += ["sqrt(\(key * key))", "√\(key * key)"] }
            if key != 0, key % 1_000_000 == 0 { forms += ["\(key / 1_000_000)M", "\(key / 1_000_000) million"] }
            else if key != 0, key % 1000 == 0 { forms += ["\(key / 1000)k", "\(key / 1000) thousand"] }
            if question.exercise.unit == .bytes, key != 0 {
                if key % 1_048_576 == 0 { forms.append("\(key / 1_048_576) MiB") }
                else if key % 1024 == 0 { forms.append("\(key / 1024) KiB") }
            }
            return forms
        case .shape(let dims):
            let list = dims.map(String.init)
            return ["[" + list.joined(separator: ", ") + "]", "(" + list.joined(separator: ", ") + ")",
                    list.joined(separator: "x"), list.joined(separator: " × "), list.joined(separator: " by ")]
        case .choice(let index):
            let letter = PresentedOption.letter(index)
            return [letter, letter.uppercased(), "(\(letter))", "option \(letter)", question.options[index].text]
        case .multi(let indices):
            let letters = indices.sorted().map(PresentedOption.letter)
            var forms = [letters.joined(separator: ", "), letters.joined(separator: " "), letters.joined(separator: " and ")]
            if indices.count == question.options.count { forms.append("all") }
            if indices.isEmpty { forms = ["none"] }
            return forms
        case .text:
            return []
        }
    }

    static func unreadableProbes(for kind: ExerciseKind) -> [String] {
        switch kind {
        case .number, .shape: ["", "banana"]
        case .choice, .multi: ["", "zz9"]
        case .text: ["", "   "]
        }
    }
}

extension PresentedOption {
    func location(in exercise: Exercise) -> SourceLocation { exercise.options[originalIndex].location }
}
