import Foundation
import LiveValues
import ExpressionLanguage

/// Says why a false `expect` claim is false, in terms of the values the core computed:
/// `layer.d_k == 32` gives "layer.d_k is 64, not 32".
struct ClaimExplainer {
    let source: [Character]
    let evaluator: Evaluator

    init(source: String, evaluator: Evaluator) {
        self.source = Array(source.unicodeScalars.map(Character.init))
        self.evaluator = evaluator
    }

    /// An explanation of why `expression` (spanning the whole source) is false, or nil.
    func explain(_ expression: ExpressionLanguage.Expression) -> String? {
        explain(expression, range: 0..<source.count)
    }

    private static let comparisonWords = ["<": "less than", "<=": "at most", ">": "more than", ">=": "at least"]

    private func explain(_ expression: ExpressionLanguage.Expression, range: Range<Int>) -> String? {
        switch expression {
        case .binary(let op, let left, let right, let column):
            let opStart = column - 1
            let opEnd = operatorEnd(from: opStart, op: op)
            let leftRange = range.lowerBound..<max(range.lowerBound, min(opStart, range.upperBound))
            let rightRange = min(opEnd, range.upperBound)..<range.upperBound
            if op == "and" {
                if case .boolean(false)? = try? evaluator.evaluate(left) {
                    return explain(left, range: leftRange) ?? "`\(text(leftRange))` is false."
                }
                return explain(right, range: rightRange) ?? "`\(text(rightRange))` is false."
            }
            if op == "or" {
                return "neither `\(text(leftRange))` nor `\(text(rightRange))` holds."
            }
            guard let lhs = try? evaluator.evaluate(left), let rhs = try? evaluator.evaluate(right) else { return nil }
            let leftText = text(leftRange), rightText = text(rightRange)
            let rightShown = rightText == rhs.description || rightText == rhs.quotedDescription ? "" : " (\(rightText))"
            let (lhsText, rhsText) = (Self.shown(lhs), Self.shown(rhs))
            switch op {
            case "==":
                if rightShown.isEmpty { return "\(leftText) is \(lhsText), not \(rhsText)." }
                return "\(leftText) is \(lhsText), but \(rightText) is \(rhsText)."
            case "!=":
                return "\(leftText) and \(rightText) are both \(lhsText)."
            default:
                guard let word = ClaimExplainer.comparisonWords[op] else { return nil }
                return "\(leftText) is \(lhsText), which is not \(word) \(rhsText)\(rightShown)."
            }
        case .unary("not", _, let column):
            let inner = column - 1 + 3
            return "`\(text(min(inner, range.upperBound)..<range.upperBound))` is true."
        default:
            return nil
        }
    }

    /// A value as `check` writes it: numbers as `NumberText` does (`524,288`), others quoted.
    static func shown(_ value: Value) -> String {
        if case .integer(let number) = value { return LessonEvaluation.grouped(number) }
        return value.quotedDescription
    }

    private func operatorEnd(from start: Int, op: String) -> Int {
        if op == "and" || op == "or" { return start + op.count }
        var end = start
        let symbols: Set<Character> = ["=", "!", "<", ">", "≤", "≥", "≠", "+", "-", "*", "/", "%", "^", "×", "÷", "·", "−"]
        while end < source.count, symbols.contains(source[end]), end - start < 2 { end += 1 }
        return max(end, start + 1)
    }

    /// The source text of `range`, trimmed, without one pair of enclosing parentheses.
    private func text(_ range: Range<Int>) -> String {
        let clamped = max(0, range.lowerBound)..<min(source.count, max(range.lowerBound, range.upperBound))
        var slice = String(source[clamped]).trimmingCharacters(in: .whitespaces)
        if slice.hasPrefix("("), slice.hasSuffix(")"), balanced(String(slice.dropFirst().dropLast())) {
            slice = String(slice.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return slice
    }

    private func balanced(_ text: String) -> Bool {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 { return false }
        }
        return depth == 0
    }
}

