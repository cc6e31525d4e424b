import Foundation

/// A value of the expression language: what `= EXPR`, `show`, answer keys and learners' arithmetic produce.
///
/// Other modules may add cases (runs, flows, tables, heatmaps); code elsewhere should
/// switch with a `default` branch.
public indirect enum Value: Sendable {
    case integer(Int)
    case decimal(Double)
    case string(String)
    case boolean(Bool)
    case list([Value])
    /// A tensor shape such as `[11, 64]`.
    case shape([Int])
    /// A structured value with members, such as an attention run, a tensor or a published model.
    case object(any ValueObject)
    /// Something that can be called: a built-in function or a method bound to an object.
    case function(Function)
}

/// A structured value with named members (an attention run, a tensor, a flow diagram, a model).
///
/// Conforming types live in LiveValues and Lessons; `show` renders them, member access reads them.
public protocol ValueObject: Sendable {
    /// A short noun for messages, such as `"mha run"` or `"tensor"`.
    var typeName: String { get }
    /// Every member name `member(_:)` answers, for "did you mean" suggestions.
    var memberNames: [String] { get }
    /// The member called `name`, or nil when there is none (or when computing it fails).
    func member(_ name: String) -> Value?
    /// The member called `name`, or nil when there is none; throws a `FunctionError` saying why
    /// when computing it fails (the evaluator uses this one).
    func memberValue(_ name: String) throws -> Value?
    /// The item at `index` (0-based, already made non-negative) for values that can be indexed,
    /// nil for values that cannot; throws a `FunctionError` when the index is out of range.
    func element(at index: Int) throws -> Value?
    /// One line describing the value, used when it is printed inline.
    var summary: String { get }
    /// Whether `other` is the same value (used by `==`).
    func isEqual(to other: any ValueObject) -> Bool
}

extension ValueObject {
    /// Objects cannot be indexed unless they say otherwise.
    public func element(at index: Int) throws -> Value? { nil }

    /// Reading a member cannot fail unless the object says otherwise.
    public func memberValue(_ name: String) throws -> Value? { member(name) }
}

extension Value {
    /// The numeric value, for integers and decimals.
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .decimal(let value): value
        default: nil
        }
    }

    /// The integer value, for integers and for decimals that are whole numbers within `Int`'s range.
    public var integerValue: Int? {
        switch self {
        case .integer(let value): return value
        case .decimal(let value):
            guard value.isFinite, value.rounded() == value, abs(value) < 9.0e18 else { return nil }
            return Int(value)
        default: return nil
        }
    }

    /// The integers of a shape, or of a list whose items are all integers.
    public var integers: [Int]? {
        switch self {
        case .shape(let dims): return dims
        case .list(let items):
            var result: [Int] = []
            for item in items {
                guard case .integer(let value) = item else { return nil }
                result.append(value)
            }
            return result
        default: return nil
        }
    }

    /// A short noun naming the kind of value, for error messages (`"a number"`, `"a shape"`).
    public var kindName: String {
        switch self {
        case .integer: "an integer"
        case .decimal: "a decimal number"
        case .string: "a string"
        case .boolean: "a boolean"
        case .list: "a list"
        case .shape: "a shape"
        case .object(let object): Value.article(for: object.typeName) + " " + object.typeName
        case .function(let function): "the function \(function.name)"
        }
    }
}

extension Value {
    /// "a" or "an" before `noun`, by its first sound (acronyms such as "mha" take "an").
    static func article(for noun: String) -> String {
        let lower = noun.lowercased()
        if let first = lower.first, "aeiou".contains(first) { return "an" }
        if lower.hasPrefix("mha") || lower.hasPrefix("mla") { return "an" }
        return "a"
    }
}

extension Value: Equatable {
    /// Values are equal when they print the same way: numbers compare by value across integer and
    /// decimal, and a shape equals a list of the same integers.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
            return lhs.number == rhs.number
        case (.string(let a), .string(let b)): return a == b
        case (.boolean(let a), .boolean(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.shape(let a), .shape(let b)): return a == b
        case (.shape(let dims), .list), (.list, .shape(let dims)):
            let other = if case .list = lhs { lhs } else { rhs }
            guard case .list(let items) = other, items.count == dims.count else { return false }
            return zip(items, dims).allSatisfy { $0 == .integer($1) }
        case (.object(let a), .object(let b)): return a.isEqual(to: b)
        case (.function(let a), .function(let b)): return a.name == b.name && a.receiver == b.receiver
        default: return false
        }
    }
}

extension Value: CustomStringConvertible {
    /// The value as a learner reads it: `768`, `0.125`, `[11, 64]`, `"bf16"`, `true`.
    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .decimal(let value): return Value.format(value)
        case .string(let value): return value
        case .boolean(let value): return value ? "true" : "false"
        case .list(let items): return "[" + items.map(\.quotedDescription).joined(separator: ", ") + "]"
        case .shape(let dims): return "[" + dims.map(String.init).joined(separator: ", ") + "]"
        case .object(let object): return object.summary
        case .function(let function): return function.signature
        }
    }

    /// Like `description`, but strings keep their quotes (as inside a list).
    public var quotedDescription: String {
        if case .string(let value) = self { return "\"" + value + "\"" }
        return description
    }

    /// Formats a decimal for reading: at most six significant digits, trailing zeros trimmed,
    /// scientific notation only for very large or very small magnitudes.
    public static func format(_ value: Double, significantDigits: Int = 6) -> String {
        if value.isNaN { return "not a number" }
        if value.isInfinite { return value > 0 ? "infinity" : "-infinity" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e15 || magnitude < 1e-4 {
            let text = String(format: "%.\(max(significantDigits - 1, 0))e", value)
            guard let e = text.firstIndex(of: "e") else { return text }
            var mantissa = String(text[..<e])
            if mantissa.contains(".") {
                while mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
            }
            var exponent = String(text[text.index(after: e)...])
            let negative = exponent.hasPrefix("-")
            exponent = String(exponent.drop(while: { $0 == "+" || $0 == "-" || $0 == "0" }))
            return mantissa + "e" + (negative ? "-" : "") + (exponent.isEmpty ? "0" : exponent)
        }
        let integerDigits = magnitude >= 1 ? Int(log10(magnitude).rounded(.down)) + 1 : 0
        var leadingZeros = 0
        if magnitude < 1 { leadingZeros = Int((-log10(magnitude)).rounded(.down)) }
        let decimals = max(0, min(15, significantDigits - integerDigits + (magnitude < 1 ? leadingZeros : 0)))
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return text
    }
}
