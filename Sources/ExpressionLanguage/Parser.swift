/// Parses an expression by precedence climbing.
///
/// Binding strength, loosest first: `or`; `and`; `not`; comparisons (not chainable); `+ -`;
/// `* / // %`; unary `-`; `^` (right-associative, so `2^3^2` is `2^9` and `-2^2` is `-4`);
/// then calls, member access and indexing.
struct Parser {
    /// The deepest nesting accepted, in parentheses, brackets, calls and operators together.
    static let maximumDepth = 100
    /// The most tokens accepted in one expression.
    static let maximumTokens = 4_000

    private static let binaryPrecedence: [String: Int] = [
        "or": 1, "and": 2,
        "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
        "+": 5, "-": 5,
        "*": 6, "/": 6, "//": 6, "%": 6,
        "^": 8,
    ]
    private static let notPrecedence = 3
    private static let negationPrecedence = 7

    private var tokens: [Token]
    private var position = 0
    private var depth = 0

    /// Parses a whole expression; anything left over is an error.
    static func parse(_ source: String) throws -> Expression {
        let tokens = try Lexer.tokenize(source)
        if tokens.count > maximumTokens {
            throw ExpressionError(column: tokens[maximumTokens].column, "this expression is too long (over \(maximumTokens) tokens).")
        }
        var parser = Parser(tokens: tokens)
        if parser.current.kind == .end {
            throw ExpressionError(column: 1, "expected an expression, found nothing.")
        }
        let (expression, _) = try parser.binary(minimum: 1)
        if parser.current.kind != .end {
            throw parser.unexpected(expecting: "an operator or the end of the expression")
        }
        return expression
    }

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    private var current: Token { tokens[min(position, tokens.count - 1)] }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private func isSymbol(_ symbol: String) -> Bool {
        current.kind == .symbol(symbol)
    }

    private func describe(_ token: Token) -> String {
        token.kind == .end ? "the end of the expression" : "`\(token.text)`"
    }

    private func unexpected(expecting what: String) -> ExpressionError {
        let token = current
        if case .symbol("=") = token.kind {
            return ExpressionError(column: token.column, "unexpected `=`; compare with `==`.")
        }
        return ExpressionError(column: token.column, "expected \(what), found \(describe(token)).")
    }

    private mutating func enter() throws {
        depth += 1
        if depth > Parser.maximumDepth {
            throw ExpressionError(column: current.column, "this expression is nested too deeply (over \(Parser.maximumDepth) levels).")
        }
    }

    private func checkHeight(_ height: Int, at column: Int) throws {
        if height > Parser.maximumDepth {
            throw ExpressionError(column: column, "this expression is nested too deeply (over \(Parser.maximumDepth) levels).")
        }
    }

    private var currentBinaryOperator: String? {
        switch current.kind {
        case .symbol(let symbol) where Parser.binaryPrecedence[symbol] != nil: symbol
        case .keyword(let word) where word == "and" || word == "or": word
        default: nil
        }
    }

    private static func isComparison(_ op: String) -> Bool {
        binaryPrecedence[op] == 4
    }

    /// Parses operators binding at least as tightly as `minimum`; returns the tree and its height.
    private mutating func binary(minimum: Int) throws -> (Expression, Int) {
        try enter()
        defer { depth -= 1 }
        var (left, height) = try prefix(minimum: minimum)
        var lastComparison: Token?
        while let op = currentBinaryOperator, let precedence = Parser.binaryPrecedence[op], precedence >= minimum {
            let token = current
            if Parser.isComparison(op), let previous = lastComparison {
                throw ExpressionError(column: token.column, "comparisons can't be chained: write `a \(previous.text) b and b \(token.text) c`.")
            }
            advance()
            let next = op == "^" ? precedence : precedence + 1
            let (right, rightHeight) = try binary(minimum: next)
            height = max(height, rightHeight) + 1
            try checkHeight(height, at: token.column)
            left = .binary(op, left, right, column: token.column)
            lastComparison = Parser.isComparison(op) ? token : nil
        }
        return (left, height)
    }

    private mutating func prefix(minimum: Int) throws -> (Expression, Int) {
        let token = current
        if token.kind == .keyword("not") {
            advance()
            try enter()
            defer { depth -= 1 }
            let (operand, height) = try binary(minimum: max(Parser.notPrecedence, minimum))
            return (.unary("not", operand, column: token.column), height + 1)
        }
        if token.kind == .symbol("-") || token.kind == .symbol("+") {
            advance()
            try enter()
            defer { depth -= 1 }
            let (operand, height) = try binary(minimum: max(Parser.negationPrecedence, minimum))
            if token.kind == .symbol("+") { return (operand, height) }
            return (.unary("-", operand, column: token.column), height + 1)
        }
        return try postfix()
    }

    private mutating func postfix() throws -> (Expression, Int) {
        var (expression, height) = try primary()
        while true {
            let token = current
            if isSymbol("(") {
                advance()
                let (arguments, argumentHeight) = try callArguments()
                height = max(height, argumentHeight) + 1
                expression = .call(expression, arguments, column: token.column)
            } else if isSymbol(".") {
                advance()
                guard case .identifier(let name) = current.kind else {
                    throw unexpected(expecting: "a member name after `.`")
                }
                expression = .member(expression, name, column: current.column)
                height += 1
                advance()
            } else if isSymbol("[") {
                advance()
                let (index, indexHeight) = try binary(minimum: 1)
                guard isSymbol("]") else { throw unexpected(expecting: "`]` to close the index opened at column \(token.column)") }
                advance()
                height = max(height, indexHeight) + 1
                expression = .index(expression, index, column: token.column)
            } else {
                return (expression, height)
            }
            try checkHeight(height, at: token.column)
        }
    }

    private mutating func callArguments() throws -> ([Expression.Argument], Int) {
        let open = tokens[position - 1]
        var arguments: [Expression.Argument] = []
        var height = 0
        var seenLabel = false
        if isSymbol(")") {
            advance()
            return ([], 0)
        }
        while true {
            var label: String?
            let start = current
            if case .identifier(let name) = current.kind, position + 1 < tokens.count, tokens[position + 1].kind == .symbol(":") {
                label = name
                advance()
                advance()
                if arguments.contains(where: { $0.label == name }) {
                    throw ExpressionError(column: start.column, "`\(name):` is given twice.")
                }
                seenLabel = true
            } else if seenLabel {
                throw ExpressionError(column: start.column, "a positional argument can't follow a named one; name it (`name: value`) or move it first.")
            }
            let (value, valueHeight) = try binary(minimum: 1)
            height = max(height, valueHeight)
            arguments.append(Expression.Argument(label: label, column: start.column, value: value))
            if isSymbol(",") {
                advance()
                continue
            }
            if isSymbol(")") {
                advance()
                return (arguments, height)
            }
            throw unexpected(expecting: "`,` or `)` to close the call opened at column \(open.column)")
        }
    }

    private mutating func primary() throws -> (Expression, Int) {
        let token = current
        switch token.kind {
        case .integer(let value):
            advance()
            return (.literal(.integer(value), column: token.column), 1)
        case .decimal(let value):
            advance()
            return (.literal(.decimal(value), column: token.column), 1)
        case .string(let value):
            advance()
            return (.literal(.string(value), column: token.column), 1)
        case .keyword("true"), .keyword("false"):
            advance()
            return (.literal(.boolean(token.kind == .keyword("true")), column: token.column), 1)
        case .identifier(let name):
            advance()
            return (.name(name, column: token.column), 1)
        case .symbol("("):
            advance()
            let (inner, height) = try binary(minimum: 1)
            guard isSymbol(")") else { throw unexpected(expecting: "`)` to close the parenthesis opened at column \(token.column)") }
            advance()
            return (inner, height)
        case .symbol("["):
            advance()
            var items: [Expression] = []
            var height = 0
            if isSymbol("]") {
                advance()
                return (.list([], column: token.column), 1)
            }
            while true {
                let (item, itemHeight) = try binary(minimum: 1)
                items.append(item)
                height = max(height, itemHeight)
                if isSymbol(",") {
                    advance()
                    if isSymbol("]") { break }
                    continue
                }
                if isSymbol("]") { break }
                throw unexpected(expecting: "`,` or `]` to close the list opened at column \(token.column)")
            }
            advance()
            return (.list(items, column: token.column), height + 1)
        default:
            throw unexpected(expecting: "a number, a name, a string, `(` or `[`")
        }
    }
}
