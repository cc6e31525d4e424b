import Foundation
import AttentionCore
import LiveValues
import ExpressionLanguage
import MarkdownTerminal

/// What checking exercise files found.
public struct ExerciseCheckReport: Sendable {
    /// Every problem, located at `file:line:col`.
    public var diagnostics: [Diagnostic]
    /// How many files were read.
    public var files: Int
    /// How many exercises were well formed enough to check.
    public var exercises: Int
    /// How many distinct variants (combinations of the `given` values) were proved.
    public var variants: Int
    /// How much of each file's variant space was proved, by file path.
    public var coverage: [String: Coverage] = [:]

    /// Whether nothing is wrong.
    public var passed: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// How much of the variant spaces of some exercises `check` proved.
public struct Coverage: Sendable, Equatable {
    /// How many exercises were checked.
    public var exercises = 0
    /// How many distinct variants were proved.
    public var proved = 0
    /// How many variants the spaces hold (for a sampled space, the combinations before `where`).
    public var total = 0
    /// Whether any space was too large to prove in full and was sampled.
    public var sampled = false
    /// Whether `total` is partly an estimate (a space too large to walk, sampled before `where`).
    public var estimated = false

    /// The share of variants a sampled space must have proved before `check` stops warning.
    public static let warningShare = 0.01

    /// Creates an empty coverage.
    public init() {}

    /// Adds another's counts.
    public mutating func add(_ other: Coverage) {
        exercises += other.exercises
        proved += other.proved
        total += other.total
        sampled = sampled || other.sampled
        estimated = estimated || other.estimated
    }

    /// "proved over all 120 variants" or "sampled 4000 of 2500000 variants".
    public var summary: String {
        sampled ? "sampled \(proved) of \(estimated ? "about " : "")\(total) variants" : "proved over all \(total) variant\(total == 1 ? "" : "s")"
    }
}

/// Proves exercise files before a learner sees them.
///
/// For each exercise, every combination of its `given` values that satisfies `where` (or, above
/// `VariantSpace.enumerationLimit` of them, a fixed sample) is proved: the variant can be drawn
/// (every expression evaluates); the computed answer, typed back, passes the grader; every `wrong`
/// entry is graded wrong and triggers its own feedback (not the key's, not another entry's); an
/// unreadable answer gets a format message; and the prompt renders. Choice and multi exercises are
/// also drawn at `seeds` seeds, so that many option orders are proved too.
public enum ExerciseChecker {
    /// Seeds drawn per choice or multi exercise (for option orders) unless told otherwise.
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

    /// Variants proved together as one piece of work.
    static let chunkSize = 128

    /// Checks `exercises` on the core's worker threads (`MHALEARN_THREADS`, else one per processor),
    /// returning their reports in the order of `exercises`. The variants of a large space are split
    /// into chunks proved on different threads and merged in order, so the reports are the same as
    /// checking each exercise alone.
    static func check(_ exercises: [Exercise], seeds: Int) -> [ExerciseCheckReport] {
        let spaces = exercises.map { VariantSpace.build(for: $0) }
        var work: [(exercise: Int, range: Range<Int>)] = []
        for (index, space) in spaces.enumerated() {
            guard case .success(let built) = space else { continue }
            for start in stride(from: 0, to: built.combinations.count, by: chunkSize) {
                work.append((index, start..<min(start + chunkSize, built.combinations.count)))
            }
        }
        var chunks = [Chunk?](repeating: nil, count: work.count)
        let threads = min(Parallel.threadCount, work.count)
        if threads > 1 {
            let source = RealModelSource.current
            let counter = WorkCounter()
            let work = work
            chunks.withUnsafeMutableBufferPointer { slots in
                let shared = UncheckedSendable(slots)   // each slot is written by the one worker that took its index
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    let slots = shared.value
                    RealModelSource.$current.withValue(source) {
                        while true {
                            let index = counter.take()
                            guard index < work.count else { return }
                            let item = work[index]
                            if case .success(let space) = spaces[item.exercise] {
                                slots[index] = prove(exercises[item.exercise], space: space, range: item.range)
                            }
                        }
                    }
                }
            }
        } else {
            for (index, item) in work.enumerated() {
                if case .success(let space) = spaces[item.exercise] {
                    chunks[index] = prove(exercises[item.exercise], space: space, range: item.range)
                }
            }
        }
        var byExercise = [[Chunk]](repeating: [], count: exercises.count)
        for (item, chunk) in zip(work, chunks) { if let chunk { byExercise[item.exercise].append(chunk) } }
        return exercises.indices.map { finish(exercises[$0], space: spaces[$0], chunks: byExercise[$0], seeds: seeds) }
    }

    /// Checks one exercise: every variant of its space, and `seeds` seeds for option orders.
    public static func check(_ exercise: Exercise, seeds: Int = defaultSeeds) -> ExerciseCheckReport {
        let space = VariantSpace.build(for: exercise)
        var chunks: [Chunk] = []
        if case .success(let built) = space {
            for start in stride(from: 0, to: built.combinations.count, by: chunkSize) {
                chunks.append(prove(exercise, space: built, range: start..<min(start + chunkSize, built.combinations.count)))
            }
        }
        return finish(exercise, space: space, chunks: chunks, seeds: seeds)
    }

    /// What proving some variants of one exercise found.
    struct Chunk {
        var findings = Findings()
        var proved = 0
    }

    /// Proves the variants at `range` of `space`; the first variant also gets the unreadable probes.
    static func prove(_ exercise: Exercise, space: VariantSpace, range: Range<Int>) -> Chunk {
        var chunk = Chunk()
        var rendered = Set<String>()
        for index in range {
            switch Question.make(exercise, space: space.only(index), seed: UInt64(index)) {
            case .failure(let problems):
                chunk.findings.add(problems.diagnostics)
            case .success(let question):
                chunk.proved += 1
                prove(question, into: &chunk.findings, rendered: &rendered, probes: index == 0)
            }
        }
        return chunk
    }

    /// Merges the chunks of one exercise in order, then checks what needs every variant (entries
    /// agreeing everywhere), the worked examples, and option orders at `seeds` seeds.
    static func finish(_ exercise: Exercise, space: Result<VariantSpace, ExerciseProblems>, chunks: [Chunk], seeds: Int) -> ExerciseCheckReport {
        var findings = Findings()
        var coverage = Coverage()
        coverage.exercises = 1
        switch space {
        case .failure(let problems):
            findings.add(problems.diagnostics)
        case .success(let space):
            coverage.total = space.total
            coverage.sampled = !space.isComplete
            coverage.estimated = space.estimated
            for chunk in chunks {
                findings.merge(chunk.findings)
                coverage.proved += chunk.proved
            }
            if coverage.sampled, Double(coverage.proved) < Coverage.warningShare * Double(coverage.total) {
                let share = NumberText.decimal(100 * Double(coverage.proved) / Double(max(coverage.total, 1)))
                findings.add(warning: Diagnostic(.warning, at: exercise.whereClause?.location ?? exercise.location,
                    "only \(coverage.proved) of \(space.estimated ? "about " : "")\(coverage.total) variants (\(share)%) were proved, fewer than \(NumberText.decimal(100 * Coverage.warningShare))%; narrow `given`, or state the constraint as `name == EXPR` so it is enumerated"))
            }
            findings.reportCoincidingEverywhere(in: exercise)
            for (index, entry) in exercise.wrong.enumerated() where entry.when != nil && !findings.fired.contains(index) && coverage.proved > 0 {
                let when = entry.when.map(\.location) ?? entry.location
                let message = "this `when:` holds in no variant\(space.isComplete ? "" : " proved"), so the entry never fires and its feedback is never shown; fix the condition or remove the entry"
                if space.isComplete { findings.add(when, message, problem: "dead-when") }
                else { findings.add(warning: Diagnostic(.warning, at: when, message)) }
            }
            checkExamples(of: exercise, space: space, into: &findings)
            checkPromptUnit(of: exercise, into: &findings)
            if exercise.kind == .choice || exercise.kind == .multi {
                let memo = EvaluationMemo()
                var rendered = Set<String>()
                for seed in 0..<UInt64(max(seeds, 1)) {
                    if case .success(let question) = Question.make(exercise, space: space, seed: seed, memo: memo) {
                        prove(question, into: &findings, rendered: &rendered, probes: false)
                    }
                }
            }
        }
        var report = ExerciseCheckReport(diagnostics: findings.finished, files: 0, exercises: 1, variants: coverage.proved)
        report.coverage[exercise.location.path] = coverage
        return report
    }

    private static func add(_ part: ExerciseCheckReport, to report: inout ExerciseCheckReport) {
        report.diagnostics += part.diagnostics
        report.exercises += part.exercises
        report.variants += part.variants
        for (path, coverage) in part.coverage { report.coverage[path, default: Coverage()].add(coverage) }
    }

    /// Diagnostics kept once per place and problem, so one mistake is not reported fifty times while
    /// two different problems of one entry are both reported; each says how many more variants share it.
    struct Findings {
        private var diagnostics: [Diagnostic] = []
        private var keys: [String] = []
        private var more: [Int] = []
        private var seen: [String: Int] = [:]
        /// Keys whose notations were already proved for this exercise: the grade of a right answer
        /// depends only on the key, its tolerance and unit, or on the options' texts, not their order.
        var notationKeys = Set<String>()
        /// The `wrong` entries (by index) that applied in some variant proved.
        var fired = Set<Int>()

        /// Adds what `other` found after what this found, as if found in one run.
        mutating func merge(_ other: Findings) {
            fired.formUnion(other.fired)
            for (index, diagnostic) in other.diagnostics.enumerated() {
                let key = other.keys[index]
                if let existing = seen[key] {
                    more[existing] += 1 + other.more[index]
                } else {
                    seen[key] = diagnostics.count
                    diagnostics.append(diagnostic)
                    keys.append(key)
                    more.append(other.more[index])
                }
            }
            for (pair, counts) in other.pairs {
                pairs[pair, default: (0, 0)].both += counts.both
                pairs[pair, default: (0, 0)].same += counts.same
            }
        }

        /// Adds a warning (it does not fail the check).
        mutating func add(warning: Diagnostic) { add(warning, problem: "warning") }

        /// Adds problems found by drawing a variant; one per place.
        mutating func add(_ new: [Diagnostic]) {
            for diagnostic in new { add(diagnostic, problem: "") }
        }

        /// Adds `message` at `location`; `problem` names the kind of mistake (one report per place and kind).
        mutating func add(_ location: SourceLocation, _ message: String, problem: String = "") {
            add(Diagnostic(at: location, message), problem: problem)
        }

        /// For each pair of `wrong` entries (by index): variants where both applied, and where they agreed.
        var pairs: [Pair: (both: Int, same: Int)] = [:]

        struct Pair: Hashable {
            let first: Int
            let second: Int
        }

        /// Notes which entries of `question` apply together and which of them give the same answer.
        mutating func count(pairsOf question: Question) {
            let prepared = question.wrong
            for (a, first) in prepared.enumerated() {
                for second in prepared[(a + 1)...] {
                    let same = PreparedWrong.same(first.form, second.form)
                    pairs[Pair(first: first.index, second: second.index), default: (0, 0)].both += 1
                    if same { pairs[Pair(first: first.index, second: second.index), default: (0, 0)].same += 1 }
                }
            }
        }

        /// A pair of entries that agree in every variant where both apply is one problem, reported
        /// once at the second entry in place of its per-variant "the same as" reports.
        mutating func reportCoincidingEverywhere(in exercise: Exercise) {
            for (pair, counts) in pairs.sorted(by: { ($0.key.first, $0.key.second) < ($1.key.first, $1.key.second) })
            where counts.both > 0 && counts.same == counts.both {
                let entry = exercise.wrong[pair.second], first = exercise.wrong[pair.first]
                let location = entry.expression?.location ?? entry.text?.location ?? entry.location
                let key = "\(location.line):\(location.column):\(location.path)#same:\(pair.first)"
                let message = "this wrong answer equals the entry at \(first.location.line):\(first.location.column) in every variant where both apply (\(counts.both)), so its feedback is never shown; remove one, or merge their feedback"
                if let index = seen[key] {
                    diagnostics[index].message = message
                    more[index] = 0
                } else {
                    add(location, message, problem: "same:\(pair.first)")
                }
            }
        }

        private mutating func add(_ diagnostic: Diagnostic, problem: String) {
            let key = "\(diagnostic.location.line):\(diagnostic.location.column):\(diagnostic.location.path)#\(problem)"
            if let index = seen[key] {
                more[index] += 1
                return
            }
            seen[key] = diagnostics.count
            diagnostics.append(diagnostic)
            keys.append(key)
            more.append(0)
        }

        /// The problems, each noting how many more variants have it.
        var finished: [Diagnostic] {
            zip(diagnostics, more).map { diagnostic, extra in
                guard extra > 0 else { return diagnostic }
                var copy = diagnostic
                copy.message += " (and in \(extra) more variant\(extra == 1 ? "" : "s"))"
                return copy
            }
        }
    }

    static func prove(_ question: Question, into findings: inout Findings) {
        var rendered = Set<String>()
        prove(question, into: &findings, rendered: &rendered, probes: true)
    }

    /// Proves one variant; a prompt whose Markdown is in `rendered` was rendered (and found
    /// non-empty) for an earlier variant, so it is not rendered again. `probes`: also check that
    /// unreadable answers get a format message (they do not depend on the variant, so once an exercise).
    static func prove(_ question: Question, into findings: inout Findings, rendered: inout Set<String>, probes: Bool) {
        let exercise = question.exercise
        findings.count(pairsOf: question)
        findings.fired.formUnion(question.wrong.map(\.index))
        let context: String = {
            let described = VariantSpace.describe(question.bindings, order: exercise.given.map(\.name))
            return described.isEmpty ? "" : " with \(described)"
        }()
        let keyLocation = exercise.answer?.location ?? exercise.location

        switch question.expected {
        case .number(let value, _):
            if exercise.tolerance == nil, value.rounded() != value {
                findings.add(keyLocation, "the answer is \(ValueText.decimal(value))\(context), not a whole number; \(wholeNumberAdvice(for: exercise))", problem: "whole")
            }
        case .multi(let indices) where indices.count == question.options.count:
            findings.add(exercise.location, "every option is correct, so choosing all of them needs no thought; add an option that is not right", problem: "all-correct")
        default:
            break
        }

        if let answer = exercise.answer { proveNoFlooring(answer, question: question, context: context, into: &findings) }

        var keyForms = [question.answerText]
        if case .choice(let index) = question.expected { keyForms.append(question.options[index].text) }
        if exercise.kind == .text { keyForms = exercise.accept.map(\.value) }
        for (offset, form) in keyForms.enumerated() {
            let grade = Grader.grade(form, for: question)
            if grade.outcome != .correct {
                let location = exercise.kind == .text ? exercise.accept[offset].location : keyLocation
                findings.add(location, "the answer key typed back as `\(form)`\(context) is graded \(grade.outcome.rawValue) (\(grade.feedback.joined(separator: " ")))", problem: "key")
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
                findings.add(location, "this wrong answer is `\(typed)`\(context), which the grader accepts as correct; a learner giving it would be told they are right", problem: "accepted")
            case (.wrong, .some(let other)):
                let first = exercise.wrong[other].location
                findings.add(location, "this wrong answer is `\(typed)`\(context), the same as the entry at \(first.line):\(first.column), whose feedback is shown instead; if both misconceptions are meant, give one a `when:` that holds only where they differ", problem: "same:\(other)")
            case (.unreadable, _):
                findings.add(location, "this wrong answer is `\(typed)`\(context), which a learner cannot type: \(grade.feedback.joined(separator: " "))", problem: "untypable")
            default:
                findings.add(location, "this wrong answer is `\(typed)`\(context), but the grader does not give its feedback", problem: "unmatched")
            }
        }

        for garbage in probes ? unreadableProbes(for: exercise.kind) : [] {
            let grade = Grader.grade(garbage, for: question)
            if grade.outcome != .unreadable || grade.feedback.isEmpty {
                findings.add(exercise.location, "the unreadable answer `\(garbage)` was graded \(grade.outcome.rawValue) instead of getting a format message", problem: "probe:\(garbage)")
            }
        }

        let seenOptions = Dictionary(grouping: question.options.indices, by: { AnswerReader.textKey(question.options[$0].text) })
        for (_, indices) in seenOptions where indices.count > 1 {
            let option = question.options[indices[1]]
            findings.add(option.location(in: exercise), "two options read the same\(context), so a learner could not tell them apart", problem: "same-options")
        }

        let markdown = PromptRenderer.markdown(for: question)
        if !rendered.contains(markdown) {
            let text = PromptRenderer(width: 80, color: false).render(markdown)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                findings.add(exercise.prompt.location, "the prompt renders as nothing\(context)", problem: "empty-prompt")
            } else {
                rendered.insert(markdown)
            }
        }
    }

    /// Reports a `//` in the key that drops a remainder in this variant, and a `%` whose operands'
    /// signs differ (where flooring changes the remainder), as a key that is not whole is reported.
    /// `floor(a / b)` says that rounding down is meant.
    static func proveNoFlooring(_ answer: Located<String>, question: Question, context: String, into findings: inout Findings) {
        guard answer.value.contains("//") || answer.value.contains("%"), case .success(let parsed) = Expressions.parsed(answer.value) else { return }
        func visit(_ node: ExpressionLanguage.Expression) {
            switch node {
            case .binary(let op, let left, let right, let column):
                visit(left)
                visit(right)
                guard op == "//" || op == "%",
                      let a = (try? Evaluator(live: question.bindings).evaluate(left))?.number,
                      let b = (try? Evaluator(live: question.bindings).evaluate(right))?.number, b != 0 else { return }
                let location = SourceLocation(path: answer.location.path, line: answer.location.line, column: answer.location.column + column - 1)
                if op == "//", (a / b).rounded(.down) != a / b {
                    findings.add(location, "the answer floors \(ValueText.decimal(a / b)) to \(ValueText.decimal((a / b).rounded(.down)))\(context): `//` drops the remainder; if rounding down is meant, write `floor(… / …)`, else rule such variants out in `where`", problem: "floor")
                } else if op == "%", a != 0, (a < 0) != (b < 0), a.truncatingRemainder(dividingBy: b) != 0 {
                    findings.add(location, "`%` floors here\(context): \(ValueText.decimal(a)) % \(ValueText.decimal(b)) is \(ValueText.decimal(a - b * (a / b).rounded(.down))), not \(ValueText.decimal(a.truncatingRemainder(dividingBy: b))); make both sides the same sign", problem: "floor-mod")
                }
            case .unary(_, let operand, _): visit(operand)
            case .call(let callee, let arguments, _):
                visit(callee)
                arguments.forEach { visit($0.value) }
            case .member(let base, _, _): visit(base)
            case .index(let base, let index, _):
                visit(base)
                visit(index)
            case .list(let items, _): items.forEach(visit)
            case .literal, .name: break
            }
        }
        visit(parsed)
    }

    /// Proves that the key written in every documented notation that fits it is graded correct,
    /// and that no built-in slip recogniser fires on the key itself.
    static func proveNotations(_ question: Question, context: String, into findings: inout Findings) {
        let exercise = question.exercise
        let location = exercise.answer?.location ?? exercise.location
        let options = question.options.map { ($0.correct ? "+" : "-") + $0.text }.sorted().joined(separator: "\u{1F}")
        let key = question.options.isEmpty ? "\(question.expected)" : options
        let proved = !findings.notationKeys.insert(key).inserted
        for form in proved ? [] : notations(of: question) {
            let grade = Grader.grade(form, for: question)
            if grade.outcome != .correct {
                findings.add(location, "the answer key written as `\(form)`\(context) is graded \(grade.outcome.rawValue) (\(grade.feedback.joined(separator: " "))); every documented notation of the key must pass", problem: "notation")
            }
        }
        if case .number(let key, let tolerance) = question.expected,
           let slip = Slip.recognise(key, key: key, tolerance: tolerance, question: question) {
            findings.add(location, "the built-in slip `\(slip.name)` fires on the answer key itself\(context)", problem: "slip")
        }
    }

    /// The key written in each documented notation that can express it (see docs/authoring.md).
    static func notations(of question: Question) -> [String] {
        switch question.expected {
        case .number(let value, _):
            guard value.rounded() == value, abs(value) < 1e12 else {
                return [ValueText.decimal(value)] + (question.exercise.unit == .fraction ? [ValueText.decimal(value * 100) + "%"] : [])
            }
            let key = Int(value)
            var forms = [String(key), "\(key).0", "answer = \(key)"]
            if let unit = question.exercise.unit { forms.append("\(key) \(unit.words[min(1, unit.words.count - 1)])") }
            if let unit = question.exercise.unit, let perUnit = unit.bytesPerUnit, unit != .bytes {
                forms += ["\(key) \(unit.rawValue)", "\(NumberText.grouped(key * Int(perUnit), separator: ",", minimumDigits: 4)) bytes"]
            }
            if question.exercise.unit == .fraction { forms.append("\(key * 100)%") }
            if key >= 1000 {
                for separator in [",", " ", "\u{2009}", "_"] {
                    forms.append(NumberText.grouped(key, separator: separator, minimumDigits: 4))
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

    /// Compares the key with each worked example: the key computed with the example's values must
    /// equal the answer worked out by hand (within the exercise's tolerance), and the example's
    /// values must be a variant learners can be given.
    static func checkExamples(of exercise: Exercise, space: VariantSpace, into findings: inout Findings) {
        guard let key = exercise.answer else { return }
        let names = exercise.given.map(\.name)
        for example in exercise.examples {
            let described = VariantSpace.describe(example.given, order: names)
            let with = described.isEmpty ? "" : " with \(described)"
            for parameter in exercise.given {
                if let value = example.given[parameter.name],
                   !parameter.domain.values.contains(where: { ValueText.plain($0) == ValueText.plain(value) }) {
                    findings.add(example.location, "this example gives \(parameter.name) = \(ValueText.plain(value)), which is not among the values `given` lists for it, so learners never see it", problem: "example-domain")
                }
            }
            if let whereClause = exercise.whereClause,
               case .success(.boolean(false)) = Expressions.evaluate(whereClause.value, bindings: example.given) {
                findings.add(example.location, "this example\(with) does not satisfy `where`, so learners never see it", problem: "example-where")
            }
            let computed: Value
            switch Expressions.evaluate(key.value, bindings: example.given) {
            case .success(let value): computed = value
            case .failure(let error):
                findings.add(Expressions.location(of: error, in: key.location), "in `answer` (for the example at \(example.location.line):\(example.location.column)\(with)): \(error.message)", problem: "example-key")
                continue
            }
            let stated: Value
            switch Expressions.evaluate(example.answer.value, bindings: example.given) {
            case .success(let value): stated = value
            case .failure(let error):
                findings.add(Expressions.location(of: error, in: example.answer.location), "in this example's `answer`: \(error.message)", problem: "example-answer")
                continue
            }
            let agree: Bool
            switch exercise.kind {
            case .number:
                if let a = computed.number, let b = stated.number {
                    let tolerance = max(exercise.tolerance ?? 0, 1e-9 * max(abs(a), abs(b)))
                    agree = abs(a - b) <= tolerance
                } else {
                    agree = false
                }
            case .shape:
                agree = QuestionBuilder.dimensions(of: computed) != nil && QuestionBuilder.dimensions(of: computed) == QuestionBuilder.dimensions(of: stated)
            default:
                agree = true
            }
            if !agree {
                let keyText = QuestionBuilder.dimensions(of: computed).map { ValueText.plain(.shape($0)) } ?? computed.number.map(ValueText.decimal) ?? ValueText.plain(computed)
                findings.add(example.answer.location, "the key gives \(keyText)\(with), but this example, worked out by hand, says \(ValueText.plain(stated)); fix whichever is wrong", problem: "example")
            }
        }
    }

    /// Unit words a prompt may ask a count in ("How many **MiB**"), and the `unit:` each needs.
    static let promptUnits: [String: AnswerUnit] = [
        "kib": .kib, "mib": .mib, "gib": .gib, "bytes": .bytes, "heads": .heads, "layers": .layers, "tokens": .tokens,
        "parameters": .params, "params": .params, "experts": .experts, "dimensions": .dims, "dims": .dims,
    ]

    /// A number prompt that asks "How many MiB" (or bytes, heads, …) must declare that `unit:`,
    /// so that the learner's `512 MiB` is read as the quantity it is.
    static func checkPromptUnit(of exercise: Exercise, into findings: inout Findings) {
        guard exercise.kind == .number else { return }
        let words = exercise.prompt.value.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.lowercased() }
        for index in words.indices.dropLast(2) where words[index] == "how" && words[index + 1] == "many" {
            guard let named = promptUnits[words[index + 2]], exercise.unit != named else { continue }
            let declared = exercise.unit.map { "declares `unit: \($0.rawValue)`" } ?? "declares no `unit:`"
            findings.add(exercise.prompt.location, "the prompt asks how many \(named == .bytes || named.bytesPerUnit == nil ? words[index + 2] : named.rawValue), but the exercise \(declared); add `unit: \(named.rawValue)` so that an answer written with its unit is read as that quantity", problem: "prompt-unit")
            return
        }
    }

    /// What to do about a key that is not a whole number: rule such variants out in `where`,
    /// or allow for fractions with a `tolerance`.
    static func wholeNumberAdvice(for exercise: Exercise) -> String {
        let names = exercise.given.map(\.name)
        let example = names.count >= 2 ? " (such as `\(names[0]) % \(names[1]) == 0` when the answer divides \(names[0]) by \(names[1]))" : ""
        return "if the answer should always be whole, add a condition to `where` that rules such variants out\(example); "
            + "if fractions are meant, give a `tolerance` so learners know how precise to be"
    }

    static func unreadableProbes(for kind: ExerciseKind) -> [String] {
        switch kind {
        case .number, .shape: ["", "banana"]
        case .choice, .multi: ["", "zz9"]
        case .text: ["", "   "]
        }
    }
}

extension PreparedWrong {
    /// Whether two entries' answers are the same for a learner.
    static func same(_ a: Form, _ b: Form) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x == y || abs(x - y) <= 1e-9 * max(abs(x), abs(y))
        case (.shape(let x), .shape(let y)): x == y
        case (.text(let x), .text(let y)): x == y
        default: false
        }
    }
}

extension PresentedOption {
    func location(in exercise: Exercise) -> SourceLocation { exercise.options[originalIndex].location }
}
