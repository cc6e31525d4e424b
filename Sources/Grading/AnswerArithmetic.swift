/// The arithmetic a learner may type as an answer (`768/12`, `12 * 64`, `2^10`, `sqrt(4096)`,
/// `(1024 - 64) // 2`): numbers, `+ - * / // % ^ **`, parentheses and `sqrt`. Integers stay
/// integers as in the expression language (`7/2` is 3.5, `7//2` is 3, `-7 % 3` is 2, overflow is an
/// error); a test proves it agrees with the language on every form it reads. It stands apart from
/// ExpressionLanguage because that language needs Foundation and the live core, and this must
/// compile to WebAssembly.
enum AnswerArithmetic {
    /// A number as the language keeps it.
    enum Number: Equatable {
        case integer(Int64)
        case decimal(Double)

        var double: Double {
            switch self {
            case .integer(let n): Double(n)
            case .decimal(let x): x
            }
        }
    }

    /// What went wrong, in the language's words.
    struct Problem: Error, Equatable {
        var message: String
    }

    /// Evaluates `text`, or says why it cannot.
    static func evaluate(_ text: String) -> Result<Double, Problem> {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        switch parser.expression(minimum: 0) {
        case .failure(let problem): return .failure(problem)
        case .success(let number):
            parser.skipSpace()
            if parser.index < parser.scalars.count {
                return .failure(Problem(message: "unexpected `\(TextScan.string(parser.scalars[parser.index...parser.index]))`."))
            }
            return .success(number.double)
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var depth = 0

        mutating func skipSpace() {
            while index < scalars.count, TextScan.isSpace(scalars[index]) { index += 1 }
        }

        /// The binary operator at `index`, with its length.
        func binaryOperator() -> (String, Int)? {
            guard index < scalars.count else { return nil }
            let c = scalars[index]
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch c {
            case "+": return ("+", 1)
            case "-": return ("-", 1)
            case "*": return next == "*" ? ("^", 2) : ("*", 1)
            case "/": return next == "/" ? ("//", 2) : ("/", 1)
            case "%": return ("%", 1)
            case "^": return ("^", 1)
            default: return nil
            }
        }

        static func precedence(_ op: String) -> Int {
            switch op {
            case "+", "-": 5
            case "^": 8
            default: 6
            }
        }

        mutating func expression(minimum: Int) -> Result<Number, Problem> {
            depth += 1
            defer { depth -= 1 }
            guard depth < 100 else { return .failure(Problem(message: "this expression is nested too deeply.")) }
            var left: Number
            switch prefix(minimum: minimum) {
            case .failure(let problem): return .failure(problem)
            case .success(let value): left = value
            }
            while true {
                skipSpace()
                guard let (op, length) = binaryOperator() else { return .success(left) }
                let precedence = Parser.precedence(op)
                guard precedence >= minimum else { return .success(left) }
                index += length
                switch expression(minimum: op == "^" ? precedence : precedence + 1) {
                case .failure(let problem): return .failure(problem)
                case .success(let right):
                    switch AnswerArithmetic.apply(op, left, right) {
                    case .failure(let problem): return .failure(problem)
                    case .success(let value): left = value
                    }
                }
            }
        }

        mutating func prefix(minimum: Int) -> Result<Number, Problem> {
            skipSpace()
            guard index < scalars.count else { return .failure(Problem(message: "the expression ends too soon; a number is missing.")) }
            let c = scalars[index]
            if c == "-" || c == "+" {
                index += 1
                switch expression(minimum: max(7, minimum)) {
                case .failure(let problem): return .failure(problem)
                case .success(let operand):
                    if c == "+" { return .success(operand) }
                    switch operand {
                    case .integer(let n):
                        let (negated, overflow) = Int64(0).subtractingReportingOverflow(n)
                        return overflow ? .failure(tooLarge("-")) : .success(.integer(negated))
                    case .decimal(let x): return .success(.decimal(-x))
                    }
                }
            }
            return primary()
        }

        mutating func primary() -> Result<Number, Problem> {
            let c = scalars[index]
            if c == "(" {
                index += 1
                let inner = expression(minimum: 0)
                guard case .success = inner else { return inner }
                skipSpace()
                guard index < scalars.count, scalars[index] == ")" else { return .failure(Problem(message: "a `(` is never closed; add `)`.")) }
                index += 1
                return inner
            }
            if TextScan.hasWord(scalars, at: index, "sqrt", ignoringCase: false) {
                index += 4
                skipSpace()
                guard index < scalars.count, scalars[index] == "(" else { return .failure(Problem(message: "write sqrt with parentheses, as in sqrt(64).")) }
                switch primary() {
                case .failure(let problem): return .failure(problem)
                case .success(let operand): return AnswerArithmetic.squareRoot(operand)
                }
            }
            if TextScan.isDigit(c) || c == "." { return number() }
            return .failure(Problem(message: "unexpected `\(TextScan.string([c]))`."))
        }

        mutating func number() -> Result<Number, Problem> {
            let start = index
            var isDecimal = false
            while index < scalars.count, TextScan.isDigit(scalars[index]) { index += 1 }
            if index < scalars.count, scalars[index] == ".", index + 1 < scalars.count, TextScan.isDigit(scalars[index + 1]) {
                isDecimal = true
                index += 1
                while index < scalars.count, TextScan.isDigit(scalars[index]) { index += 1 }
            }
            if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
                var end = index + 1
                if end < scalars.count, scalars[end] == "+" || scalars[end] == "-" { end += 1 }
                if end < scalars.count, TextScan.isDigit(scalars[end]) {
                    isDecimal = true
                    index = end
                    while index < scalars.count, TextScan.isDigit(scalars[index]) { index += 1 }
                }
            }
            if index < scalars.count, scalars[index] == "." {
                return .failure(Problem(message: "unexpected `.` right after the number \(TextScan.string(scalars[start..<index])); put an operator between them."))
            }
            var text = TextScan.string(scalars[start..<index])
            if text.hasPrefix(".") { text = "0" + text }
            if isDecimal {
                guard let value = Numerals.parse(text), value.isFinite else { return .failure(Problem(message: "the number \(text) is too large.")) }
                return .success(.decimal(value))
            }
            guard let value = Int64(text) else { return .failure(Problem(message: "the integer \(text) is too large (the largest is \(Int64.max)).")) }
            return .success(.integer(value))
        }
    }

    static func squareRoot(_ x: Number) -> Result<Number, Problem> {
        let value = x.double
        guard value >= 0 else { return .failure(Problem(message: "sqrt needs a number that is not negative; got \(Numerals.decimal(value, grouping: false)).")) }
        let root = value.squareRoot()
        if case .integer(let n) = x, root < 3.0e9 {
            let whole = Int64(root.rounded())
            if whole * whole == n { return .success(.integer(whole)) }
        }
        return .success(.decimal(root))
    }

    static func tooLarge(_ op: String) -> Problem {
        Problem(message: "the result of `\(op)` is too large for an integer (over \(Int64.max)).")
    }

    static func divisionByZero(_ op: String) -> Problem {
        Problem(message: "division by zero in `\(op)`.")
    }

    /// `a OP b` with the language's rules for integers and decimals.
    static func apply(_ op: String, _ lhs: Number, _ rhs: Number) -> Result<Number, Problem> {
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return integer(op, a, b) }
        return decimal(op, lhs.double, rhs.double)
    }

    private static func integer(_ op: String, _ a: Int64, _ b: Int64) -> Result<Number, Problem> {
        switch op {
        case "+":
            let (result, overflow) = a.addingReportingOverflow(b)
            return overflow ? .failure(tooLarge(op)) : .success(.integer(result))
        case "-":
            let (result, overflow) = a.subtractingReportingOverflow(b)
            return overflow ? .failure(tooLarge(op)) : .success(.integer(result))
        case "*":
            let (result, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? .failure(tooLarge(op)) : .success(.integer(result))
        case "/":
            if b == 0 { return .failure(divisionByZero(op)) }
            let (quotient, overflow) = a.dividedReportingOverflow(by: b)
            if overflow { return .failure(tooLarge(op)) }
            if a.remainderReportingOverflow(dividingBy: b).partialValue == 0 { return .success(.integer(quotient)) }
            return .success(.decimal(Double(a) / Double(b)))
        case "//":
            if b == 0 { return .failure(divisionByZero(op)) }
            let (quotient, overflow) = a.dividedReportingOverflow(by: b)
            if overflow { return .failure(tooLarge(op)) }
            let remainder = a.remainderReportingOverflow(dividingBy: b).partialValue
            return .success(.integer(remainder != 0 && (remainder < 0) != (b < 0) ? quotient - 1 : quotient))
        case "%":
            if b == 0 { return .failure(divisionByZero(op)) }
            let remainder = a.remainderReportingOverflow(dividingBy: b).partialValue
            return .success(.integer(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder))
        default:
            if b < 0 {
                if a == 0 { return .failure(divisionByZero("^")) }
                return decimal("^", Double(a), Double(b))
            }
            var result: Int64 = 1, base = a, exponent = b
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (product, overflow) = result.multipliedReportingOverflow(by: base)
                    if overflow { return .failure(tooLarge("^")) }
                    result = product
                }
                exponent >>= 1
                if exponent > 0 {
                    let (square, overflow) = base.multipliedReportingOverflow(by: base)
                    if overflow { return .failure(tooLarge("^")) }
                    base = square
                }
            }
            return .success(.integer(result))
        }
    }

    private static func decimal(_ op: String, _ a: Double, _ b: Double) -> Result<Number, Problem> {
        let result: Double
        switch op {
        case "+": result = a + b
        case "-": result = a - b
        case "*": result = a * b
        case "/":
            if b == 0 { return .failure(divisionByZero(op)) }
            result = a / b
        case "//":
            if b == 0 { return .failure(divisionByZero(op)) }
            result = (a / b).rounded(.down)
        case "%":
            if b == 0 { return .failure(divisionByZero(op)) }
            let remainder = exactRemainder(a, b)
            result = remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder
        default:
            if a == 0 && b < 0 { return .failure(divisionByZero(op)) }
            guard b.rounded() == b, abs(b) <= 4096 else {
                return .failure(Problem(message: "a fractional or huge power is not read in an answer; write sqrt(x) for a square root."))
            }
            var power = 1.0, base = a, exponent = Int(abs(b))
            while exponent > 0 {
                if exponent & 1 == 1 { power *= base }
                base *= base
                exponent >>= 1
            }
            result = b < 0 ? 1 / power : power
        }
        guard result.isFinite else { return .failure(Problem(message: "the result of `\(op)` is too large.")) }
        return .success(.decimal(result))
    }

    /// `fmod(a, b)`, exactly, by binary long division (no C library on WebAssembly).
    static func exactRemainder(_ a: Double, _ b: Double) -> Double {
        guard a.isFinite, b.isFinite, b != 0 else { return .nan }
        var remainder = abs(a)
        let divisor = abs(b)
        guard remainder >= divisor else { return a }
        var step = divisor
        while step <= remainder / 2 { step *= 2 }
        while remainder >= divisor {
            if remainder >= step { remainder -= step }
            step /= 2
        }
        return a < 0 ? -remainder : remainder
    }
}
