/// One token of an expression, with the 1-based column (in Unicode scalars) where it starts.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case integer(Int)
        case decimal(Double)
        case string(String)
        case identifier(String)
        case keyword(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var column: Int
    /// The source text of the token, for messages.
    var text: String
}

/// Splits an expression into tokens; every malformed piece is an `ExpressionError` at its column.
public struct Lexer {
    public static let keywords: Set<String> = ["and", "or", "not", "true", "false"]
    /// Longest first, so `//` wins over `/` and `==` over `=`.
    static let symbols = ["**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "^", "<", ">", "(", ")", "[", "]", ",", ":", ".", "="]
    /// Typographic operators a learner may paste, with the symbol each stands for.
    static let aliases: [Character: String] = ["×": "*", "·": "*", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!=", "−": "-"]

    let scalars: [Character]
    var index = 0

    init(_ source: String) {
        scalars = source.unicodeScalars.map { Character($0) }
    }

    static func tokenize(_ source: String) throws -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var column: Int { index + 1 }

    private func peek(_ offset: Int = 0) -> Character? {
        let position = index + offset
        return position < scalars.count ? scalars[position] : nil
    }

    mutating func next() throws -> Token {
        while let c = peek(), c.isWhitespace { index += 1 }
        guard let c = peek() else { return Token(kind: .end, column: column, text: "") }
        let start = column
        if c.isASCII, c.isNumber { return try number() }
        if c == ".", let d = peek(1), d.isASCII, d.isNumber { return try number() }
        if c == "\"" || c == "'" || c == "“" || c == "”" { return try string() }
        if isIdentifierStart(c) {
            var text = ""
            while let d = peek(), isIdentifierPart(d) {
                text.append(d)
                index += 1
            }
            let kind: Token.Kind = Lexer.keywords.contains(text) ? .keyword(text) : .identifier(text)
            return Token(kind: kind, column: start, text: text)
        }
        if let alias = Lexer.aliases[c] {
            index += 1
            return Token(kind: .symbol(alias), column: start, text: String(c))
        }
        for symbol in Lexer.symbols where matches(symbol) {
            index += symbol.count
            let canonical = symbol == "**" ? "^" : symbol
            return Token(kind: .symbol(canonical), column: start, text: symbol)
        }
        if c == "&" || c == "|" || c == "!" {
            let word = c == "&" ? "and" : c == "|" ? "or" : "not"
            throw ExpressionError(column: start, "unexpected `\(c)`; write `\(word)` instead.")
        }
        if c == "`" {
            throw ExpressionError(column: start, "unexpected backtick; write the expression without `…` around it.")
        }
        throw ExpressionError(column: start, "unexpected character `\(c)`.")
    }

    private func matches(_ symbol: String) -> Bool {
        for (offset, character) in symbol.enumerated() where peek(offset) != character {
            return false
        }
        return true
    }

    private func isIdentifierStart(_ c: Character) -> Bool {
        c == "_" || (c.isLetter && Lexer.aliases[c] == nil)
    }

    private func isIdentifierPart(_ c: Character) -> Bool {
        isIdentifierStart(c) || (c.isASCII && c.isNumber)
    }

    private func isDigit(_ c: Character?) -> Bool {
        guard let c else { return false }
        return c.isASCII && c.isNumber
    }

    /// Digits with `_` allowed between them, as in `1_000`.
    private mutating func digits(into text: inout String) throws {
        while let c = peek() {
            if isDigit(c) {
                text.append(c)
                index += 1
            } else if c == "_" {
                guard isDigit(peek(1)), let last = text.last, last.isNumber else {
                    throw ExpressionError(column: column, "`_` in a number must sit between two digits, as in 1_000.")
                }
                index += 1
            } else {
                return
            }
        }
    }

    private mutating func number() throws -> Token {
        let start = column
        var text = ""
        try digits(into: &text)
        var isDecimal = false
        if peek() == ".", isDigit(peek(1)) {
            isDecimal = true
            text.append(".")
            index += 1
            try digits(into: &text)
        }
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if isDigit(peek(signed ? 2 : 1)) {
                isDecimal = true
                text.append("e")
                index += 1
                if signed, let sign = peek() {
                    text.append(sign)
                    index += 1
                }
                try digits(into: &text)
            }
        }
        if let c = peek(), isIdentifierPart(c) || c == "." && isDigit(peek(1)) {
            throw ExpressionError(column: column, "unexpected `\(c)` right after the number \(text); put an operator between them.")
        }
        if text.hasPrefix(".") { text = "0" + text }
        if isDecimal {
            guard let value = Double(text), value.isFinite else {
                throw ExpressionError(column: start, "the number \(text) is too large.")
            }
            return Token(kind: .decimal(value), column: start, text: text)
        }
        guard let value = Int(text) else {
            throw ExpressionError(column: start, "the integer \(text) is too large (the largest is \(Int.max)).")
        }
        return Token(kind: .integer(value), column: start, text: text)
    }

    private mutating func string() throws -> Token {
        let start = column
        guard let open = peek() else { return Token(kind: .end, column: start, text: "") }
        let close: Character = open == "“" ? "”" : open
        index += 1
        var text = ""
        while let c = peek() {
            index += 1
            if c == close || (close == "”" && c == "\"") || (open == "”" && c == "”") {
                return Token(kind: .string(text), column: start, text: String(open) + text + String(c))
            }
            if c == "\\", let escaped = peek() {
                index += 1
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                default: text.append(escaped)
                }
            } else {
                text.append(c)
            }
        }
        throw ExpressionError(column: start, "this string is never closed; end it with \(close).")
    }
}
