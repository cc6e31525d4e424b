/// The kinds of answer a question takes.
public enum AnswerKind: String, Sendable, CaseIterable {
    /// A number, possibly with a unit or suffix.
    case number
    /// A tensor shape.
    case shape
    /// One option of several.
    case choice
    /// Every right option of several.
    case multi
    /// A short phrase.
    case text
}

/// The unit an exercise's number answer is counted in (`unit:` in an exercise file).
public enum AnswerUnit: String, Sendable, CaseIterable {
    /// A width in dimensions (d_model, d_k, a concatenation's width).
    case dims
    /// A count of attention heads.
    case heads
    /// A count of layers.
    case layers
    /// A size in bytes.
    case bytes
    /// A count of parameters (weights and biases).
    case params
    /// A count of attention computations (one head in one layer).
    case computations
    /// A count of tokens.
    case tokens
    /// A count of mixture-of-experts experts.
    case experts

    /// The words a learner may write for the unit, singular and plural.
    public var words: [String] {
        switch self {
        case .dims: ["dim", "dims", "dimension", "dimensions", "dimensional", "features", "wide"]
        case .heads: ["head", "heads"]
        case .layers: ["layer", "layers", "block", "blocks"]
        case .bytes: ["byte", "bytes", "kb", "kib", "mb", "mib", "gb", "gib", "tb", "tib"]
        case .params: ["param", "params", "parameter", "parameters", "weight", "weights"]
        case .computations: ["computation", "computations", "attentions"]
        case .tokens: ["token", "tokens", "position", "positions"]
        case .experts: ["expert", "experts"]
        }
    }

    /// What an answer in the unit is, for feedback: "a width in dimensions".
    public var meaning: String {
        switch self {
        case .dims: "a width in dimensions"
        case .heads: "a count of heads"
        case .layers: "a count of layers"
        case .bytes: "a size in bytes"
        case .params: "a count of parameters"
        case .computations: "a count of attention computations"
        case .tokens: "a count of tokens"
        case .experts: "a count of experts"
        }
    }

    /// The unit a learner's word names, if any.
    public static func named(_ word: String) -> AnswerUnit? {
        let word = word.lowercased()
        return allCases.first { $0.words.contains(word) }
    }
}

/// The key a question is graded against.
public enum ExpectedAnswer: Sendable, Equatable {
    /// A number, with the absolute tolerance allowed.
    case number(Double, tolerance: Double)
    /// A tensor shape.
    case shape([Int])
    /// The index (in presented order) of the one correct option.
    case choice(Int)
    /// The indices (in presented order) of the correct options.
    case multi(Set<Int>)
    /// The accepted phrases, normalised with `AnswerReader.textKey`.
    case text(Set<String>)
}

/// An anticipated wrong answer of one variant, with the feedback it deserves.
public struct WrongEntry: Sendable, Equatable {
    /// What the entry's answer is.
    public enum Form: Sendable, Equatable {
        /// A number (number kind).
        case number(Double)
        /// A shape (shape kind).
        case shape([Int])
        /// A phrase key (text kind).
        case text(String)
    }

    /// The evaluated answer.
    public var form: Form
    /// The feedback.
    public var feedback: String
    /// The entry's position in the file's `wrong` list (0-based).
    public var index: Int

    /// An entry answering `form`, told `feedback`, at `index` in the file.
    public init(form: Form, feedback: String, index: Int) {
        self.form = form
        self.feedback = feedback
        self.index = index
    }
}

/// An option as the grader needs it: its text and the feedback for choosing it.
public struct KeyOption: Sendable, Equatable {
    /// The option text as presented.
    public var text: String
    /// The feedback for choosing it.
    public var feedback: String?

    /// An option reading `text`, answered with `feedback`.
    public init(text: String, feedback: String?) {
        self.text = text
        self.feedback = feedback
    }

    /// The letter an option is answered by at position `index`: `a`, `b`, …
    public static func letter(_ index: Int) -> String {
        guard index >= 0, index < 26, let scalar = Unicode.Scalar(UInt32(97 + index)) else { return "?" }
        return String(Character(scalar))
    }
}

/// Everything needed to read and grade answers to one variant of a question, and nothing else:
/// no file, no expression, no model. The native binary builds it from a `Question`; an exported
/// page carries it as data (`KeyCoding`).
public struct AnswerKey: Sendable, Equatable {
    /// The kind of answer.
    public var kind: AnswerKind
    /// The unit a number answer is counted in, if the exercise names one.
    public var unit: AnswerUnit?
    /// The key.
    public var expected: ExpectedAnswer
    /// The options in presented order (choice and multi).
    public var options: [KeyOption]
    /// The anticipated wrong answers.
    public var wrong: [WrongEntry]
    /// The variant's parameters the built-in slips use: `h`, `d_model`, `L` (or `layers`).
    public var slipParameters: SlipParameters

    /// A key of `kind` expecting `expected`.
    public init(kind: AnswerKind, unit: AnswerUnit? = nil, expected: ExpectedAnswer, options: [KeyOption] = [],
                wrong: [WrongEntry] = [], slipParameters: SlipParameters = SlipParameters()) {
        self.kind = kind
        self.unit = unit
        self.expected = expected
        self.options = options
        self.wrong = wrong
        self.slipParameters = slipParameters
    }
}

/// The parameters of a variant that the built-in slips compare an answer against.
public struct SlipParameters: Sendable, Equatable {
    /// The number of heads, `h`.
    public var heads: Double?
    /// The model width, `d_model`.
    public var dModel: Double?
    /// The number of layers, `L` or `layers`.
    public var layers: Double?

    /// Parameters with the values given (nil where the variant has none).
    public init(heads: Double? = nil, dModel: Double? = nil, layers: Double? = nil) {
        self.heads = heads
        self.dModel = dModel
        self.layers = layers
    }
}
