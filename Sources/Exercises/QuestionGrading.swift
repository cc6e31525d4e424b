@_exported import Grading
import ExpressionLanguage

extension Question {
    /// What the grader needs of this variant, as plain data: the key, the options, the wrong
    /// entries and the parameters the built-in slips use. An exported page carries the same value.
    public var answerKey: AnswerKey {
        AnswerKey(kind: exercise.kind, unit: exercise.unit, expected: expected,
                  options: options.map { KeyOption(text: $0.text, feedback: $0.feedback) },
                  wrong: wrong, slipParameters: slipParameters)
    }

    /// The variant's `h`, `d_model` and `L` (or `layers`), for the built-in slips.
    public var slipParameters: SlipParameters {
        SlipParameters(heads: bindings["h"]?.number, dModel: bindings["d_model"]?.number,
                       layers: (bindings["L"] ?? bindings["layers"])?.number)
    }
}

extension AnswerReader {
    /// Reads `input` as an answer to `question`.
    public static func read(_ input: String, for question: Question) -> Reading {
        read(input, key: question.answerKey)
    }
}

extension Grader {
    /// Grades the typed `input` for `question`.
    public static func grade(_ input: String, for question: Question) -> Grade {
        grade(input, key: question.answerKey)
    }

    /// Grades an answer that has already been read.
    public static func grade(_ reading: Reading, for question: Question) -> Grade {
        grade(reading, key: question.answerKey)
    }
}

extension Slip {
    /// The built-in slips for `question`'s parameters, each with the wrong value it stands for.
    public static func candidates(key: Double, question: Question) -> [(value: Double, slip: Slip)] {
        candidates(key: key, parameters: question.slipParameters)
    }

    /// The first slip `value` is, for a question whose key is `key`, or nil.
    public static func recognise(_ value: Double, key: Double, tolerance: Double, question: Question) -> Slip? {
        recognise(value, key: key, tolerance: tolerance, parameters: question.slipParameters)
    }
}

extension GradeOutcome: Codable {}
