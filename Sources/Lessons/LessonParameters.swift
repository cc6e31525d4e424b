import Foundation
import ExpressionLanguage
import LiveValues
import Support

/// One line of a lesson's ```params block: `NAME = DEFAULT` or `NAME = DEFAULT from FIELD`.
///
/// `FIELD` is a member of a published model (`model("…")`'s `d_model`, `heads`, `kv_heads`, …), or
/// `model` for the model itself; `mhalearn lesson NAME --model M` binds the parameter to M's field
/// instead of the default, and `--given NAME=VALUE` to a value typed by hand.
public struct LessonParameter: Sendable, Equatable {
    /// The name the lesson uses.
    public let name: String
    /// The default, as an expression.
    public let defaultSource: String
    /// The published-model member that feeds it, when one does.
    public let field: String?
    /// The file line of the declaration (from 1).
    public let line: Int
    /// The column (from 1) where the default starts, and where `FIELD` starts.
    public let defaultColumn: Int
    public let fieldColumn: Int?
}

/// What a lesson is computed for: a published model (`--model`) and values set by hand (`--given`).
public struct LessonBinding: Sendable {
    /// The model whose fields feed the parameters with a `from FIELD`, or nil for the defaults.
    public var model: ModelValue?
    /// Parameters set by hand; they win over the model.
    public var given: [String: Value]

    /// The lesson as written: every parameter at its default.
    public static let defaults = LessonBinding()

    /// A binding to `model` and the values `given`.
    public init(model: ModelValue? = nil, given: [String: Value] = [:]) {
        self.model = model
        self.given = given
    }

    /// Whether anything is rebound.
    public var isDefault: Bool { model == nil && given.isEmpty }

    /// The `(with --model …)` words a diagnostic found under this binding ends with, or "".
    public var suffix: String {
        var parts: [String] = []
        if let model { parts.append("--model \(model.published.name)") }
        if !given.isEmpty { parts.append("--given " + given.keys.sorted().map { "\($0)=\(given[$0]?.description ?? "")" }.joined(separator: ",")) }
        return parts.isEmpty ? "" : " (with \(parts.joined(separator: " ")))"
    }

    /// Parses `--given NAME=VALUE,…`: each value is an expression (`4096`, `"gqa"`); throws a message.
    public static func parseGiven(_ text: String) throws -> [String: Value] {
        var result: [String: Value] = [:]
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                throw LessonParameterError("`\(piece)` is not NAME=VALUE (for example d_model=4096,heads=32)")
            }
            guard result[pair[0]] == nil else { throw LessonParameterError("\(pair[0]) is given twice") }
            do {
                result[pair[0]] = try Evaluator().evaluate(pair[1])
            } catch let error as ExpressionError {
                // a bare word is a string: heads=32,name=llama
                if pair[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) {
                    result[pair[0]] = .string(pair[1])
                } else {
                    throw LessonParameterError("the value of \(pair[0]), `\(pair[1])`, does not read: \(error.message)")
                }
            }
        }
        return result
    }
}

/// Why a `--given` or a params block cannot be used, in a sentence.
public struct LessonParameterError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reading a lesson's ```params block.
public enum LessonParameters {
    /// The members of a published model that a parameter may be fed from (`model` is the model itself).
    public static var fields: [String] { ["model"] + ModelValue.memberNames }

    /// The parameters the first ```params block of `source` declares (lines that do not read are
    /// left out here; `LessonEvaluation` reports them).
    public static func declared(in source: String) -> [LessonParameter] {
        let lines = LessonEvaluation.splitLines(source).map { String($0) }
        var inBlock = false
        var found: [LessonParameter] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if inBlock { return found }
                inBlock = LessonEvaluation.isParamsBlock(String(trimmed.dropFirst(3)))
                continue
            }
            guard inBlock, let parameter = parse(line, line: index + 1) else { continue }
            found.append(parameter)
        }
        return found
    }

    /// Reads one line `NAME = DEFAULT [from FIELD]` of a params block, or nil when it is not one.
    static func parse(_ text: String, line: Int) -> LessonParameter? {
        let leading = text.prefix(while: { $0 == " " || $0 == "\t" }).count
        let statement = String(text.dropFirst(leading))
        guard !statement.isEmpty, !statement.hasPrefix("#"), let (name, rest) = LessonEvaluation.binding(in: statement) else { return nil }
        let restStart = leading + statement.count - rest.count
        var source = rest.trimmingCharacters(in: .whitespaces)
        var field: String?
        var fieldColumn: Int?
        if let range = source.range(of: " from ", options: .backwards) {
            let tail = source[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if !tail.isEmpty, tail.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) {
                field = tail
                fieldColumn = restStart + source.distance(from: source.startIndex, to: range.upperBound) + 1
                source = String(source[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
        }
        return LessonParameter(name: name, defaultSource: source, field: field, line: line, defaultColumn: restStart + 1, fieldColumn: fieldColumn)
    }

    /// The names of `given` that `parameters` does not declare, with a sentence naming the known ones, or nil.
    public static func unknownGiven(_ given: [String: Value], parameters: [LessonParameter]) -> String? {
        let known = Set(parameters.map(\.name))
        let unknown = given.keys.filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return nil }
        if parameters.isEmpty { return "this lesson has no params block, so --given has nothing to set" }
        var message = "this lesson has no parameter \(unknown.map { "`\($0)`" }.joined(separator: ", ")); its parameters are "
            + parameters.map(\.name).joined(separator: ", ")
        if unknown.count == 1, let guess = closest(unknown[0], in: parameters.map(\.name)) {
            message += "; did you mean `\(guess)`?"
        }
        return message
    }
}

extension LessonParameters {
    /// Whether a hand-set value can stand for a default: both numbers, or both the same kind.
    static func sameKind(_ given: Value, _ fallback: Value) -> Bool {
        switch (given, fallback) {
        case (.integer, .integer), (.integer, .decimal), (.decimal, .decimal): return true
        case (.decimal, .integer): return false
        default: return given.kindName == fallback.kindName
        }
    }
}
