/// How an answer fared.
public enum GradeOutcome: String, Sendable {
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
public struct Grade: Sendable, Equatable {
    /// The outcome.
    public var outcome: GradeOutcome
    /// Credit from 0 to 1.
    public var score: Double
    /// What to tell the learner, one paragraph an item.
    public var feedback: [String]
    /// The `wrong` entry (0-based, in file order) the answer matched, if any.
    public var matchedWrong: Int?

    /// A grade with `outcome`, `score` and `feedback`.
    public init(outcome: GradeOutcome, score: Double, feedback: [String], matchedWrong: Int?) {
        self.outcome = outcome
        self.score = score
        self.feedback = feedback
        self.matchedWrong = matchedWrong
    }

    /// Whether the answer uses up one of the learner's attempts.
    public var costsAttempt: Bool { outcome != .unreadable }
}

/// Grades learners' answers against a key, anticipated mistakes first.
public enum Grader {
    /// How much a number may differ from the key beyond the stated tolerance, for floating-point noise.
    public static func slack(for expected: Double) -> Double { 1e-9 * max(1, abs(expected)) }

    /// What an answer of the wrong form is told (a shape for a number question, say).
    public static let misfitSentence = "That answer does not fit this question."

    /// Grades the typed `input` against `key`.
    public static func grade(_ input: String, key: AnswerKey) -> Grade {
        grade(AnswerReader.read(input, key: key), key: key)
    }

    /// Grades an answer that has already been read.
    public static func grade(_ reading: Reading, key: AnswerKey) -> Grade {
        if case .unreadable(let message) = reading {
            return Grade(outcome: .unreadable, score: 0, feedback: [message], matchedWrong: nil)
        }
        switch (key.expected, reading) {
        case (.number(let expected, let tolerance), .number(let value)):
            return gradeNumber(Quantity(value: value), expected: expected, tolerance: tolerance, key: key)
        case (.number(let expected, let tolerance), .quantity(let quantity)):
            return gradeNumber(quantity, expected: expected, tolerance: tolerance, key: key)
        case (.shape(let expected), .shape(let dims)):
            if dims == expected { return correct() }
            for entry in key.wrong {
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
            guard let index = picked.min(), index < key.options.count else { return wrong(nil) }
            let feedback = key.options[index].feedback.map { [$0] } ?? []
            if index == expected { return Grade(outcome: .correct, score: 1, feedback: ["Correct."] + feedback, matchedWrong: nil) }
            return Grade(outcome: .wrong, score: 0, feedback: feedback.isEmpty ? ["Not that one."] : feedback, matchedWrong: nil)
        case (.multi(let expected), .choices(let picked)):
            return gradeMulti(expected: expected, picked: picked, options: key.options)
        case (.text(let accepted), .text(let text)):
            if accepted.contains(text) { return correct() }
            for entry in key.wrong {
                if case .text(let wrongKey) = entry.form, wrongKey == text {
                    return Grade(outcome: .wrong, score: 0, feedback: [entry.feedback], matchedWrong: entry.index)
                }
            }
            return wrong(nil)
        default:
            return Grade(outcome: .unreadable, score: 0, feedback: [misfitSentence], matchedWrong: nil)
        }
    }

    /// Grades a number: unit first, then the key, the exercise's own mistakes, a confused byte
    /// unit, a rounded count, and the built-in slips.
    static func gradeNumber(_ quantity: Quantity, expected: Double, tolerance: Double, key: AnswerKey) -> Grade {
        let value = quantity.value
        let matches = { (target: Double) in abs(value - target) <= tolerance + slack(for: target) }
        let asked = key.unit
        if let asked, asked != .bytes, quantity.unit == .bytes, quantity.scale != 1 {
            return Grade(outcome: .unreadable, score: 0, feedback: [
                "This question asks for \(asked.meaning), not a size in bytes; write the number without `\(quantity.written ?? "bytes")`."],
                matchedWrong: nil)
        }
        if let asked, let given = quantity.unit, given != asked {
            let lead = matches(expected) ? "\(Numerals.decimal(value)) is the number, but the answer is" : "The answer is"
            return wrong("\(lead) \(asked.meaning), not \(given.meaning).")
        }
        if matches(expected) { return correct() }
        for entry in key.wrong {
            if case .number(let wrongValue) = entry.form, abs(value - wrongValue) <= tolerance + slack(for: wrongValue) {
                return Grade(outcome: .wrong, score: 0, feedback: [entry.feedback], matchedWrong: entry.index)
            }
        }
        if quantity.decimalBytes, quantity.scale > 1 {
            var thousands = 0.0, remaining = quantity.scale
            while remaining >= 999.5 {
                remaining /= 1000
                thousands += 1
            }
            var binaryScale = 1.0
            for _ in 0..<Int(thousands) { binaryScale *= 1024 }
            let binary = value / quantity.scale * binaryScale
            if abs(binary - expected) <= tolerance + slack(for: expected) {
                let unit = (quantity.written ?? "kb").split(separator: " ").last.map(String.init) ?? "kb"
                let names = ["kb": ("KB", "KiB"), "mb": ("MB", "MiB"), "gb": ("GB", "GiB"), "tb": ("TB", "TiB")]
                let (decimalName, binaryName) = names[unit] ?? ("KB", "KiB")
                return wrong("A \(decimalName) is a power of 1000 bytes; your number is right in \(binaryName), powers of 1024: "
                             + "\(Numerals.decimal(value / quantity.scale)) \(binaryName) is \(Numerals.decimal(expected)) bytes.")
            }
        }
        if let step = quantity.step, abs(value - expected) <= step / 2 + slack(for: expected), tolerance < step / 2 {
            let figures = quantity.figures <= figureWords.count ? figureWords[quantity.figures - 1] : "\(quantity.figures)"
            return Grade(outcome: .unreadable, score: 0, feedback: [
                "Right to \(figures) figure\(quantity.figures == 1 ? "" : "s"), but rounded: give the exact count"
                + (tolerance > 0 ? " (within ± \(Numerals.decimal(tolerance)))." : ".")], matchedWrong: nil)
        }
        if let slip = Slip.recognise(value, key: expected, tolerance: tolerance, parameters: key.slipParameters) {
            return wrong(slip.sentence)
        }
        return wrong(nil)
    }

    private static let figureWords = ["one", "two", "three", "four", "five", "six"]

    static func gradeMulti(expected: Set<Int>, picked: Set<Int>, options: [KeyOption]) -> Grade {
        let hits = picked.intersection(expected).count
        let falsePicks = picked.subtracting(expected).sorted()
        let score = expected.isEmpty ? 0 : Double(max(0, hits - falsePicks.count)) / Double(expected.count)
        func feedback(_ index: Int) -> String? {
            index < options.count ? options[index].feedback.map { "\(KeyOption.letter(index))) \($0)" } : nil
        }
        if picked == expected {
            return Grade(outcome: .correct, score: 1,
                         feedback: ["Correct: all \(expected.count) right options and nothing else."] + picked.sorted().compactMap(feedback),
                         matchedWrong: nil)
        }
        var summary = "You chose \(hits) of the \(expected.count) right option\(expected.count == 1 ? "" : "s")"
        if !falsePicks.isEmpty {
            summary += " and \(falsePicks.count) that \(falsePicks.count == 1 ? "is" : "are") not right"
        }
        summary += ": credit \(hits)"
        if !falsePicks.isEmpty { summary += " − \(falsePicks.count)" }
        summary += " of \(expected.count) = \(Numerals.decimal((score * 100).rounded(), grouping: false))%."
        if !falsePicks.isEmpty { summary += " Each wrong choice cancels a right one." }
        return Grade(outcome: score > 0 ? .partial : .wrong, score: score, feedback: [summary] + falsePicks.compactMap(feedback), matchedWrong: nil)
    }

    private static func correct() -> Grade {
        Grade(outcome: .correct, score: 1, feedback: ["Correct."], matchedWrong: nil)
    }

    private static func wrong(_ detail: String?) -> Grade {
        Grade(outcome: .wrong, score: 0, feedback: [detail ?? "Not quite."], matchedWrong: nil)
    }
}

/// A common slip in a number answer, recognised by how the answer relates to the key.
public struct Slip: Sendable, Equatable {
    /// A short name, for tests and `check`.
    public var name: String
    /// What the learner is told.
    public var sentence: String

    /// A slip called `name`, told as `sentence`.
    public init(name: String, sentence: String) {
        self.name = name
        self.sentence = sentence
    }

    /// The slips checked on every number question, in order, for a variant's `parameters`: the
    /// answer inverted, or off by a factor of 2 (keys and values), h, d_model, 1024 (KiB and bytes),
    /// 8 (bits and bytes), or L (one layer and the whole model). Each pairs the wrong value with its sentence.
    public static func candidates(key: Double, parameters: SlipParameters) -> [(value: Double, slip: Slip)] {
        var found: [(value: Double, slip: Slip)] = []
        if key != 0, abs(key) != 1 {
            found.append((1 / key, Slip(name: "inverted ratio",
                sentence: "That is the ratio upside down: the answer is \(key > 1 ? "more" : "less") than 1. Divide the other way round.")))
        }
        func factor(_ name: String, _ f: Double, up: String, down: String) {
            guard f.isFinite, f > 1, key != 0 else { return }
            found.append((key * f, Slip(name: "\(name) too many", sentence: up)))
            found.append((key / f, Slip(name: "\(name) too few", sentence: down)))
        }
        if let h = parameters.heads {
            let text = Numerals.decimal(h)
            factor("h", h, up: "That is h = \(text) times too large: the answer is for one head, not all \(text) together.",
                   down: "That is h = \(text) times too small: the answer covers all \(text) heads, not one.")
        }
        factor("2", 2, up: "That is twice the answer. Keys and values are two tensors; count each once, and only the ones asked for.",
               down: "That is half the answer. Keys and values are two tensors; did you count only one of them?")
        if let dModel = parameters.dModel {
            let text = Numerals.decimal(dModel)
            factor("d_model", dModel, up: "That is d_model = \(text) times too large: a whole d_model-wide vector counted where one number is meant.",
                   down: "That is d_model = \(text) times too small: one number counted where a whole d_model-wide vector is meant.")
        }
        factor("1024", 1024, up: "That is 1024 times too large: the step from bytes to KiB (or KiB to MiB) taken the wrong way.",
               down: "That is 1024 times too small: the answer is in bytes, not KiB (1 KiB = 1024 bytes).")
        factor("8", 8, up: "That is 8 times too large: the answer counts bytes, not bits (8 bits to a byte).",
               down: "That is 8 times too small: a byte is 8 bits, and the answer is in bytes.")
        if let layers = parameters.layers {
            let text = Numerals.decimal(layers)
            factor("L", layers, up: "That is L = \(text) times too large: the answer is for one layer, not the whole model.",
                   down: "That is one layer's worth: the answer is for the whole model, all \(text) layers.")
        }
        return found
    }

    /// The first slip `value` is, for a key `key` with `tolerance`, or nil.
    public static func recognise(_ value: Double, key: Double, tolerance: Double, parameters: SlipParameters) -> Slip? {
        candidates(key: key, parameters: parameters)
            .first { abs(value - $0.value) <= tolerance + Grader.slack(for: $0.value) && abs(key - $0.value) > tolerance + Grader.slack(for: key) }?.slip
    }
}
