import Foundation

/// The functions every expression can call, whatever binds the language to a domain.
public enum Builtins {
    /// The plain helpers (`min`, `max`, `sqrt`, …) by name.
    public static let standard: [String: Function] = table(helpers)

    /// A lookup table by name; a later function of the same name replaces an earlier one.
    public static func table(_ functions: [Function]) -> [String: Function] {
        var table: [String: Function] = [:]
        for function in functions { table[function.name] = function }
        return table
    }

    /// The plain helpers, in the order the docs list them.
    public static let helpers: [Function] = [
        Function("min", parameters: [.init("values", variadic: true)]) { try extreme($0, smallest: true) },
        Function("max", parameters: [.init("values", variadic: true)]) { try extreme($0, smallest: false) },
        Function("abs", parameters: [.init("x")]) { arguments in
            switch try arguments.value("x") {
            case .integer(let value):
                guard value != Int.min else { throw FunctionError("abs of \(value) is too large for an integer.", argument: "x") }
                return .integer(Swift.abs(value))
            case .decimal(let value): return .decimal(Swift.abs(value))
            case let other: throw FunctionError("abs needs a number; got \(other.kindName).", argument: "x")
            }
        },
        Function("round", parameters: [.init("x"), .init("digits", default: .integer(0))]) { arguments in
            let digits = try arguments.integer("digits", in: 0...15)
            let x = try arguments.value("x")
            if case .integer = x { return x }
            let value = try arguments.number("x")
            if digits == 0 {
                let rounded = value.rounded(.toNearestOrAwayFromZero)
                guard Swift.abs(rounded) < 9.0e18 else { return .decimal(rounded) }
                return .integer(Int(rounded))
            }
            let scale = pow(10.0, Double(digits))
            let scaled = (value * scale).rounded(.toNearestOrAwayFromZero) / scale
            return .decimal(scaled.isFinite ? scaled : value)
        },
        Function("floor", parameters: [.init("x")]) { arguments in
            let x = try arguments.value("x")
            if case .integer = x { return x }
            let value = try arguments.number("x").rounded(.down)
            guard Swift.abs(value) < 9.0e18 else { throw FunctionError("floor of \(x) is too large for an integer.", argument: "x") }
            return .integer(Int(value))
        },
        Function("sqrt", parameters: [.init("x")]) { arguments in
            let x = try arguments.value("x")
            let value = try arguments.number("x")
            guard value >= 0 else { throw FunctionError("sqrt needs a number that is not negative; got \(x).", argument: "x") }
            let root = value.squareRoot()
            if case .integer(let n) = x, root < 3.0e9 {
                let whole = Int(root.rounded())
                if whole * whole == n { return .integer(whole) }
            }
            return .decimal(root)
        },
        Function("len", parameters: [.init("x")]) { arguments in
            switch try arguments.value("x") {
            case .list(let items): return .integer(items.count)
            case .shape(let dims): return .integer(dims.count)
            case .string(let text): return .integer(text.count)
            case let other: throw FunctionError("len needs a list, a shape or a string; got \(other.kindName).", argument: "x")
            }
        },
        Function("divides", parameters: [.init("a"), .init("b")]) { arguments in
            let a = try arguments.integer("a"), b = try arguments.integer("b")
            guard a != 0 else { return .boolean(b == 0) }
            return .boolean(b.remainderReportingOverflow(dividingBy: a).partialValue == 0)
        },
    ]

    private static func extreme(_ arguments: Arguments, smallest: Bool) throws -> Value {
        var values: [Value]
        guard case .list(let given) = try arguments.value("values") else { return .list([]) }
        values = given
        if values.count == 1, let only = values.first {
            switch only {
            case .list(let items): values = items
            case .shape(let dims): values = dims.map(Value.integer)
            default: break
            }
        }
        guard var best = values.first else {
            throw FunctionError("\(arguments.functionName) needs at least one number.")
        }
        for value in values {
            guard let number = value.number, let current = best.number else {
                throw FunctionError("\(arguments.functionName) compares numbers; got \(value.kindName).", argument: "values")
            }
            if smallest ? number < current : number > current { best = value }
        }
        guard best.number != nil else {
            throw FunctionError("\(arguments.functionName) compares numbers; got \(best.kindName).", argument: "values")
        }
        return best
    }
}
