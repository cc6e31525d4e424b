import Foundation
import LiveValues
import ExpressionLanguage
import MarkdownTerminal

/// The expression language as the Exercises module uses it: evaluation with bindings, and display of values.
enum Expressions {
    /// Evaluates `source` with `bindings`, returning the value or the language's located error.
    static func evaluate(_ source: String, bindings: [String: Value]) -> Result<Value, ExpressionError> {
        do {
            return .success(try Evaluator(live: bindings).evaluate(try parsed(source).get()))
        } catch let error as ExpressionError {
            return .failure(error)
        } catch {
            return .failure(ExpressionError(column: 1, "\(error)"))
        }
    }

    /// `source` parsed, or its syntax error; each source is parsed once while remembered.
    static func parsed(_ source: String) -> Result<ExpressionLanguage.Expression, Error> {
        parseCache.lock.lock()
        let found = parseCache.entries[source]
        parseCache.lock.unlock()
        if let found { return found }
        let made = Result { try Evaluator.parse(source) }
        parseCache.lock.lock()
        if parseCache.entries.count >= ParseCache.capacity { parseCache.entries.removeAll() }
        parseCache.entries[source] = made
        parseCache.lock.unlock()
        return made
    }

    private static let parseCache = ParseCache()

    /// Parsed sources, shared by every thread; starts afresh beyond `capacity` entries.
    private final class ParseCache: @unchecked Sendable {
        static let capacity = 4096
        let lock = NSLock()
        var entries: [String: Result<ExpressionLanguage.Expression, Error>] = [:]
    }

    /// Where column `column` of an expression starting at `location` is in the file.
    static func location(of error: ExpressionError, in start: SourceLocation) -> SourceLocation {
        SourceLocation(path: start.path, line: start.line, column: start.column + max(error.column - 1, 0))
    }
}

/// How values are written for a learner: `64`, `0.125`, `[11, 64]`.
public enum ValueText {
    /// The value as plain text.
    public static func plain(_ value: Value) -> String {
        switch value {
        case .integer(let number):
            return String(number)
        case .decimal(let number):
            return decimal(number)
        case .string(let text):
            return text
        case .boolean(let flag):
            return flag ? "true" : "false"
        case .shape(let dims):
            return "[" + dims.map(String.init).joined(separator: ", ") + "]"
        case .list(let items):
            return "[" + items.map(plain).joined(separator: ", ") + "]"
        default:
            return "\(value)"
        }
    }

    /// The value as a learner reads it in prompts, hints and feedback: numbers as `NumberText`
    /// writes them (`16,384`, `0.125`), anything else as `plain`.
    public static func display(_ value: Value) -> String {
        switch value {
        case .integer(let number): return NumberText.grouped(number)
        case .decimal(let number): return NumberText.decimal(number)
        default: return plain(value)
        }
    }

    /// A decimal without trailing zeros (`0.5`, `64`), rounded to six significant decimals.
    public static func decimal(_ number: Double) -> String { NumberText.decimal(number, grouping: false) }
}
