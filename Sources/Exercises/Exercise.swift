import LiveValues
import ExpressionLanguage

/// The kinds of question an exercise can ask (the grader's `AnswerKind`: number, shape, choice, multi, text).
public typealias ExerciseKind = AnswerKind

/// A piece of author text together with where it starts in the file.
public struct Located<Wrapped: Sendable>: Sendable {
    /// The text or value the author wrote.
    public var value: Wrapped
    /// Where the value starts (for expressions: the first character of the expression).
    public var location: SourceLocation

    /// Pairs a value with its location.
    public init(_ value: Wrapped, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Wrapped: Equatable {}

/// How one parameter of an exercise is drawn.
public enum ParameterDomain: Sendable {
    /// One of the listed values.
    case list([Value])
    /// An inclusive integer range with a step.
    case range(from: Int, to: Int, step: Int)

    /// Every value the parameter can take, in order.
    public var values: [Value] {
        switch self {
        case .list(let values):
            return values
        case .range(let from, let to, let step):
            guard step > 0, from <= to else { return [] }
            return stride(from: from, through: to, by: step).map { Value.integer($0) }
        }
    }
}

/// A named parameter of an exercise and where it is declared.
public struct Parameter: Sendable {
    /// The name the prompt and expressions use.
    public var name: String
    /// The values it is drawn from.
    public var domain: ParameterDomain
    /// Where the parameter is declared.
    public var location: SourceLocation

    /// Creates a parameter.
    public init(name: String, domain: ParameterDomain, location: SourceLocation) {
        self.name = name
        self.domain = domain
        self.location = location
    }
}

/// An anticipated wrong answer and the feedback its misconception deserves.
public struct WrongAnswer: Sendable, Equatable {
    /// An expression over the parameters (number and shape kinds), or nil for text kinds.
    public var expression: Located<String>?
    /// The typed phrase (text kind), or nil.
    public var text: Located<String>?
    /// What the learner is told when they give this answer.
    public var feedback: String
    /// Where the entry starts.
    public var location: SourceLocation
    /// A condition over the parameters: the entry applies only to variants where it is true.
    public var when: Located<String>?
    /// Where the feedback text starts, for errors in its `= EXPR` spans.
    public var feedbackLocation: SourceLocation?

    /// Creates a wrong-answer entry.
    public init(expression: Located<String>?, text: Located<String>?, feedback: String, location: SourceLocation,
                when: Located<String>? = nil, feedbackLocation: SourceLocation? = nil) {
        self.expression = expression
        self.text = text
        self.feedback = feedback
        self.location = location
        self.when = when
        self.feedbackLocation = feedbackLocation
    }
}

/// Given values with the answer an instructor worked out by hand, which `check` compares with the key.
public struct WorkedExample: Sendable {
    /// The parameter values, by name.
    public var given: [String: Value]
    /// The answer worked out by hand (an expression, usually a literal such as `64` or `[11, 64]`).
    public var answer: Located<String>
    /// Where the example starts.
    public var location: SourceLocation

    /// Creates an example.
    public init(given: [String: Value], answer: Located<String>, location: SourceLocation) {
        self.given = given
        self.answer = answer
        self.location = location
    }
}

/// One option of a `choice` or `multi` exercise.
public struct ChoiceOption: Sendable, Equatable {
    /// The option as shown (Markdown, may hold `= EXPR` spans).
    public var text: String
    /// Whether choosing it is right.
    public var correct: Bool
    /// What the learner is told about this option.
    public var feedback: String?
    /// Where the option starts.
    public var location: SourceLocation
    /// Where the option's text starts, for errors in its `= EXPR` spans.
    public var textLocation: SourceLocation?
    /// Where the option's feedback starts, for errors in its `= EXPR` spans.
    public var feedbackLocation: SourceLocation?

    /// Creates an option.
    public init(text: String, correct: Bool, feedback: String?, location: SourceLocation) {
        self.text = text
        self.correct = correct
        self.feedback = feedback
        self.location = location
    }
}

/// One exercise as an instructor wrote it.
public struct Exercise: Sendable {
    /// The id, unique within the bank.
    public var id: String
    /// The kind of question.
    public var kind: ExerciseKind
    /// The set (folder under `exercises/`) the exercise belongs to.
    public var set: String
    /// Free-form labels.
    public var tags: [String]
    /// The parameters, in the order written.
    public var given: [Parameter]
    /// The constraint the drawn parameters must satisfy, if any.
    public var whereClause: Located<String>?
    /// The Markdown prompt, with `= EXPR` spans.
    public var prompt: Located<String>
    /// The answer key expression (number and shape kinds).
    public var answer: Located<String>?
    /// The absolute tolerance for number answers.
    public var tolerance: Double?
    /// The options (choice and multi kinds).
    public var options: [ChoiceOption]
    /// The accepted phrases (text kind).
    public var accept: [Located<String>]
    /// Anticipated wrong answers.
    public var wrong: [WrongAnswer]
    /// Tiered hints, gentlest first.
    public var hints: [String]
    /// The explanation shown once the question is over.
    public var explain: String
    /// How many graded attempts the learner gets.
    public var attempts: Int
    /// The unit a number answer is counted in (`unit:`), checked against the learner's unit word.
    public var unit: AnswerUnit?
    /// The fact the exercise tests (`concept:`): exercises of one concept are siblings, never posed
    /// in one session, and a review of one counts for all (not in the content hash: regrouping
    /// exercises keeps their progress).
    public var concept: String?
    /// Where the exercise starts in its file.
    public var location: SourceLocation
    /// Where each hint starts (same order as `hints`), for errors in their `= EXPR` spans.
    public var hintLocations: [SourceLocation] = []
    /// Where the explanation starts, for errors in its `= EXPR` spans.
    public var explainLocation: SourceLocation?
    /// Worked examples `check` compares the key with.
    public var examples: [WorkedExample] = []
    /// A stable hash of everything that defines the exercise; progress is keyed by it.
    public var contentHash: String

    /// Creates an exercise; `contentHash` is computed from the other fields.
    public init(
        id: String, kind: ExerciseKind, set: String, tags: [String] = [], given: [Parameter] = [],
        whereClause: Located<String>? = nil, prompt: Located<String>, answer: Located<String>? = nil,
        tolerance: Double? = nil, options: [ChoiceOption] = [], accept: [Located<String>] = [],
        wrong: [WrongAnswer] = [], hints: [String] = [], explain: String, attempts: Int = Exercise.defaultAttempts,
        location: SourceLocation
    ) {
        self.id = id
        self.kind = kind
        self.set = set
        self.tags = tags
        self.given = given
        self.whereClause = whereClause
        self.prompt = prompt
        self.answer = answer
        self.tolerance = tolerance
        self.options = options
        self.accept = accept
        self.wrong = wrong
        self.hints = hints
        self.explain = explain
        self.attempts = attempts
        self.location = location
        self.contentHash = ""
        self.contentHash = Self.hash(of: self)
    }

    /// Graded attempts per question when the file does not say.
    public static let defaultAttempts = 3

    /// The concept it is grouped by: its `concept:`, else its own id (an exercise is its own sibling).
    public var conceptKey: String { concept ?? "id:" + id }

    /// The key progress is stored under: id and content hash.
    public var progressKey: String { "\(id)@\(contentHash)" }

    private static func hash(of exercise: Exercise) -> String {
        var parts: [String] = [exercise.id, exercise.kind.rawValue, exercise.prompt.value, exercise.answer?.value ?? "",
                               exercise.whereClause?.value ?? "", exercise.tolerance.map { "\($0)" } ?? "", "\(exercise.attempts)"]
        for parameter in exercise.given {
            parts.append("\(parameter.name)=" + parameter.domain.values.map(ValueText.plain).joined(separator: ","))
        }
        for option in exercise.options {
            parts.append("\(option.correct ? "+" : "-")\(option.text)")
        }
        parts.append(contentsOf: exercise.accept.map(\.value))
        for wrong in exercise.wrong {
            parts.append("w:\(wrong.expression?.value ?? "")|\(wrong.text?.value ?? "")")
        }
        return StableHash.hex(parts.joined(separator: "\u{1F}"))
    }
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and every run.
public enum StableHash {
    /// The 64-bit FNV-1a hash of the UTF-8 bytes of `text`.
    public static func value(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The hash as 16 lowercase hexadecimal digits.
    public static func hex(_ text: String) -> String {
        let digits = String(value(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// One exercise file: its path and the exercises it holds.
public struct ExerciseFile: Sendable {
    /// The path the file was read from (as given, used in diagnostics).
    public var path: String
    /// The exercises, in file order.
    public var exercises: [Exercise]

    /// Creates a file record.
    public init(path: String, exercises: [Exercise]) {
        self.path = path
        self.exercises = exercises
    }
}

/// Located problems that stop an exercise from being posed, as an error value.
public struct ExerciseProblems: Error, Sendable, CustomStringConvertible {
    /// The problems, each with its location.
    public var diagnostics: [Diagnostic]

    /// Wraps diagnostics.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One problem a line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
