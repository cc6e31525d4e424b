import Foundation

/// The binary operators of the expression language, checked for overflow and division by zero.
enum Arithmetic {
    static func apply(_ op: String, _ lhs: Value, _ rhs: Value, column: Int) throws -> Value {
        switch op {
        case "==": return .boolean(lhs == rhs)
        case "!=": return .boolean(lhs != rhs)
        case "<", "<=", ">", ">=": return .boolean(try compare(op, lhs, rhs, column: column))
        default: break
        }
        switch (op, lhs, rhs) {
        case ("+", .string(let a), .string(let b)): return .string(a + b)
        case ("+", .list(let a), .list(let b)): return .list(a + b)
        default: break
        }
        guard lhs.number != nil, rhs.number != nil else {
            let culprit = lhs.number == nil ? lhs : rhs
            throw ExpressionError(column: column, "`\(op)` needs numbers on both sides; \(culprit.kindName) (\(culprit.quotedDescription)) is not one.")
        }
        if case .integer(let a) = lhs, case .integer(let b) = rhs {
            return try integer(op, a, b, column: column)
        }
        return try decimal(op, lhs.number ?? 0, rhs.number ?? 0, column: column)
    }

    private static func tooLarge(_ op: String, column: Int) -> ExpressionError {
        ExpressionError(column: column, "the result of `\(op)` is too large for an integer (over \(Int.max)).")
    }

    private static func divisionByZero(_ op: String, column: Int) -> ExpressionError {
        ExpressionError(column: column, "division by zero in `\(op)`.")
    }

    private static func integer(_ op: String, _ a: Int, _ b: Int, column: Int) throws -> Value {
        switch op {
        case "+":
            let (result, overflow) = a.addingReportingOverflow(b)
            if overflow { throw tooLarge(op, column: column) }
            return .integer(result)
        case "-":
            let (result, overflow) = a.subtractingReportingOverflow(b)
            if overflow { throw tooLarge(op, column: column) }
            return .integer(result)
        case "*":
            let (result, overflow) = a.multipliedReportingOverflow(by: b)
            if overflow { throw tooLarge(op, column: column) }
            return .integer(result)
        case "/":
            if b == 0 { throw divisionByZero(op, column: column) }
            let (quotient, overflow) = a.dividedReportingOverflow(by: b)
            if overflow { throw tooLarge(op, column: column) }
            if a.remainderReportingOverflow(dividingBy: b).partialValue == 0 { return .integer(quotient) }
            return .decimal(Double(a) / Double(b))
        case "//":
            if b == 0 { throw divisionByZero(op, column: column) }
            let (quotient, overflow) = a.dividedReportingOverflow(by: b)
            if overflow { throw tooLarge(op, column: column) }
            let remainder = a.remainderReportingOverflow(dividingBy: b).partialValue
            return .integer(remainder != 0 && (remainder < 0) != (b < 0) ? quotient - 1 : quotient)
        case "%":
            if b == 0 { throw divisionByZero(op, column: column) }
            let remainder = a.remainderReportingOverflow(dividingBy: b).partialValue
            return .integer(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder)
        case "^":
            return try power(a, b, column: column)
        default:
            throw ExpressionError(column: column, "unknown operator `\(op)`.")
        }
    }

    /// `a ^ b` by repeated squaring (at most 64 steps), or as a decimal for negative exponents.
    private static func power(_ a: Int, _ b: Int, column: Int) throws -> Value {
        if b < 0 {
            if a == 0 { throw divisionByZero("^", column: column) }
            return try decimal("^", Double(a), Double(b), column: column)
        }
        var result = 1, base = a, exponent = b
        while exponent > 0 {
            if exponent & 1 == 1 {
                let (product, overflow) = result.multipliedReportingOverflow(by: base)
                if overflow { throw tooLarge("^", column: column) }
                result = product
            }
            exponent >>= 1
            if exponent > 0 {
                let (square, overflow) = base.multipliedReportingOverflow(by: base)
                if overflow { throw tooLarge("^", column: column) }
                base = square
            }
        }
        return .integer(result)
    }

    private static func decimal(_ op: String, _ a: Double, _ b: Double, column: Int) throws -> Value {
        let result: Double
        switch op {
        case "+": result = a + b
        case "-": result = a - b
        case "*": result = a * b
        case "/":
            if b == 0 { throw divisionByZero(op, column: column) }
            result = a / b
        case "//":
            if b == 0 { throw divisionByZero(op, column: column) }
            result = (a / b).rounded(.down)
        case "%":
            if b == 0 { throw divisionByZero(op, column: column) }
            let remainder = fmod(a, b)
            result = remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder
        case "^":
            if a == 0 && b < 0 { throw divisionByZero(op, column: column) }
            result = pow(a, b)
            if result.isNaN {
                throw ExpressionError(column: column, "`^` has no real result here: a negative number to a fractional power.")
            }
        default:
            throw ExpressionError(column: column, "unknown operator `\(op)`.")
        }
        guard result.isFinite else {
            throw ExpressionError(column: column, "the result of `\(op)` is too large.")
        }
        return .decimal(result)
    }

    private static func compare(_ op: String, _ lhs: Value, _ rhs: Value, column: Int) throws -> Bool {
        if case .integer(let a) = lhs, case .integer(let b) = rhs {
            return ordered(op, a, b)
        }
        if let a = lhs.number, let b = rhs.number {
            return ordered(op, a, b)
        }
        if case .string(let a) = lhs, case .string(let b) = rhs {
            return ordered(op, a, b)
        }
        throw ExpressionError(column: column, "`\(op)` compares two numbers or two strings, not \(lhs.kindName) and \(rhs.kindName).")
    }

    private static func ordered<T: Comparable>(_ op: String, _ a: T, _ b: T) -> Bool {
        switch op {
        case "<": a < b
        case "<=": a <= b
        case ">": a > b
        default: a >= b
        }
    }
}
