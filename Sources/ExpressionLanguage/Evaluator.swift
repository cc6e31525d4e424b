import Foundation

/// Evaluates expressions of the lesson language against a set of bindings.
///
/// ```swift
/// let value = try Evaluator(bindings: ["h": .integer(12)]).evaluate("768 / h")   // .integer(64)
/// ```
///
/// Every failure is an `ExpressionError` with the 1-based column it concerns; no input crashes
/// or hangs the evaluator.
public struct Evaluator: Sendable {
    /// The names an expression can read, besides the built-in functions.
    public var bindings: [String: Value]
    /// The functions callable by name (`mha`, `sqrt`, …); a binding of the same name hides one.
    public var functions: [String: Function]

    /// An evaluator that sees `bindings` and `functions` (by default the plain helpers only;
    /// LiveValues adds the attention functions with `Evaluator(live:)`).
    public init(bindings: [String: Value] = [:], functions: [String: Function] = Builtins.standard) {
        self.bindings = bindings
        self.functions = functions
    }

    /// Parses `source` without evaluating it (to report syntax errors early).
    public static func parse(_ source: String) throws -> Expression {
        try Parser.parse(source)
    }

    /// Parses and evaluates `source`.
    public func evaluate(_ source: String) throws -> Value {
        try evaluate(Parser.parse(source))
    }

    /// Evaluates an already parsed expression.
    public func evaluate(_ expression: Expression) throws -> Value {
        switch expression {
        case .literal(let value, _):
            return value
        case .name(let name, let column):
            return try lookUp(name, column: column)
        case .list(let items, _):
            return .list(try items.map(evaluate))
        case .unary(let op, let operand, let column):
            return try unary(op, evaluate(operand), column: column, operandColumn: operand.startColumn)
        case .binary(let op, let left, let right, _) where op == "and" || op == "or":
            let isAnd = op == "and"
            let lhs = try boolean(evaluate(left), for: op, column: left.startColumn)
            if isAnd != lhs { return .boolean(lhs) }
            return .boolean(try boolean(evaluate(right), for: op, column: right.startColumn))
        case .binary(let op, let left, let right, let column):
            return try Arithmetic.apply(op, try evaluate(left), try evaluate(right), column: column)
        case .member(let base, let name, let column):
            return try member(of: evaluate(base), name, column: column)
        case .index(let base, let index, let column):
            return try subscriptValue(evaluate(base), evaluate(index), column: column, indexColumn: index.startColumn)
        case .call(let callee, let arguments, let column):
            return try call(callee, arguments, column: column)
        }
    }

    /// Every name an expression may use: bindings and functions, sorted.
    public var knownNames: [String] {
        Array(Set(bindings.keys).union(functions.keys)).sorted()
    }

    private func lookUp(_ name: String, column: Int) throws -> Value {
        if let value = bindings[name] { return value }
        if let function = functions[name] { return .function(function) }
        throw ExpressionError(column: column, kind: .unknownName(name), Suggestion.unknown("unknown name `\(name)`", name, among: knownNames))
    }

    private func boolean(_ value: Value, for op: String, column: Int) throws -> Bool {
        guard case .boolean(let flag) = value else {
            throw ExpressionError(column: column, "`\(op)` needs true or false on each side; this is \(value.kindName) (\(value.quotedDescription)).")
        }
        return flag
    }

    private func unary(_ op: String, _ value: Value, column: Int, operandColumn: Int) throws -> Value {
        if op == "not" {
            return .boolean(!(try boolean(value, for: "not", column: operandColumn)))
        }
        switch value {
        case .integer(let number):
            let (negated, overflow) = Int(0).subtractingReportingOverflow(number)
            if overflow { throw ExpressionError(column: column, "the result of `-` is too large for an integer.") }
            return .integer(negated)
        case .decimal(let number):
            return .decimal(-number)
        default:
            throw ExpressionError(column: column, "`-` needs a number; this is \(value.kindName).")
        }
    }

    private func member(of value: Value, _ name: String, column: Int) throws -> Value {
        guard case .object(let object) = value else {
            throw ExpressionError(column: column, "\(value.kindName) has no members, so `.\(name)` means nothing here.")
        }
        do {
            if let result = try object.memberValue(name) { return result }
        } catch let error as FunctionError {
            throw ExpressionError(column: column, error.message)
        }
        throw ExpressionError(column: column, kind: .unknownMember(name), Suggestion.unknown("\(Value.object(object).kindName) has no member `\(name)`", name, among: object.memberNames))
    }

    private func subscriptValue(_ base: Value, _ index: Value, column: Int, indexColumn: Int) throws -> Value {
        guard case .integer(let position) = index else {
            throw ExpressionError(column: indexColumn, "an index must be an integer; this is \(index.kindName).")
        }
        let items: [Value]
        switch base {
        case .list(let values): items = values
        case .shape(let dims): items = dims.map(Value.integer)
        case .object(let object):
            let count = object.member("shape")?.integers?.first
            let resolved = position < 0 ? (count ?? 0) + position : position
            do {
                if resolved >= 0, let item = try object.element(at: resolved) { return item }
            } catch let error as FunctionError {
                throw ExpressionError(column: indexColumn, error.message)
            }
            if let count {
                throw ExpressionError(column: indexColumn, "index \(position) is out of range: this \(object.typeName) has \(count) item\(count == 1 ? "" : "s") along its first axis, indexed from 0.")
            }
            throw ExpressionError(column: column, "\(Value.object(object).kindName) can't be indexed.")
        default:
            throw ExpressionError(column: column, "only lists, shapes and tensors can be indexed; this is \(base.kindName).")
        }
        let resolved = position < 0 ? items.count + position : position
        guard resolved >= 0, resolved < items.count else {
            throw ExpressionError(column: indexColumn, "index \(position) is out of range: this has \(items.count) item\(items.count == 1 ? "" : "s"), indexed from 0.")
        }
        return items[resolved]
    }

    private func call(_ callee: Expression, _ arguments: [Expression.Argument], column: Int) throws -> Value {
        let target = try evaluate(callee)
        guard case .function(let function) = target else {
            throw ExpressionError(column: column, "\(target.kindName) can't be called.")
        }
        var values: [String: Value] = [:]
        var columns: [String: Int] = [:]
        var variadic: [Value] = []
        var next = 0
        for argument in arguments {
            let value = try evaluate(argument.value)
            if let label = argument.label {
                guard let parameter = function.parameters.first(where: { $0.name == label && !$0.isVariadic }) else {
                    throw ExpressionError(column: argument.column, kind: .unknownArgument(label), Suggestion.unknown("\(function.name) has no argument `\(label):`", label, among: function.parameters.map(\.name), listing: false) + " It takes \(function.signature).")
                }
                if values[parameter.name] != nil {
                    throw ExpressionError(column: argument.column, "`\(label):` is already given by position.")
                }
                values[label] = value
                columns[label] = argument.column
            } else {
                guard next < function.parameters.count else {
                    throw ExpressionError(column: argument.column, "\(function.name) takes at most \(function.parameters.count) argument\(function.parameters.count == 1 ? "" : "s"): \(function.signature).")
                }
                let parameter = function.parameters[next]
                if parameter.isVariadic {
                    variadic.append(value)
                    columns[parameter.name] = columns[parameter.name] ?? argument.column
                } else {
                    values[parameter.name] = value
                    columns[parameter.name] = argument.column
                    next += 1
                }
            }
        }
        for parameter in function.parameters where values[parameter.name] == nil {
            if parameter.isVariadic {
                values[parameter.name] = .list(variadic)
            } else if let defaultValue = parameter.defaultValue {
                values[parameter.name] = defaultValue
            } else if parameter.derivedDefault != nil {
                continue
            } else {
                throw ExpressionError(column: callee.column, "\(function.name) needs `\(parameter.name):`; it takes \(function.signature).")
            }
        }
        do {
            return try function.body(Arguments(functionName: function.name, values: values))
        } catch let error as FunctionError {
            let at = error.argument.flatMap { columns[$0] } ?? callee.column
            throw ExpressionError(column: at, error.message)
        }
    }
}
