import Testing
@testable import ExpressionLanguage

@Suite("Lexer") struct LexerTests {
    @Test("integers may carry underscores between digits")
    func underscores() throws {
        let tokens = try Lexer.tokenize("1_000 + 2")
        #expect(tokens.map(\.kind) == [.integer(1000), .symbol("+"), .integer(2), .end])
        #expect(tokens.map(\.column) == [1, 7, 9, 10])
    }

    @Test("decimals, leading-dot decimals and exponents become decimal tokens")
    func decimals() throws {
        let kinds = try Lexer.tokenize("0.5 .25 1e3 2.5E-1").map(\.kind)
        #expect(kinds == [.decimal(0.5), .decimal(0.25), .decimal(1000), .decimal(0.25), .end])
    }

    @Test("two-character operators win over their one-character prefixes")
    func longestOperators() throws {
        let kinds = try Lexer.tokenize("a//b==c<=d>=e!=f**g").map(\.kind)
        #expect(kinds.contains(.symbol("//")))
        #expect(kinds.contains(.symbol("==")))
        #expect(kinds.contains(.symbol("<=")))
        #expect(kinds.contains(.symbol(">=")))
        #expect(kinds.contains(.symbol("!=")))
        #expect(kinds.contains(.symbol("^")))
        #expect(!kinds.contains(.symbol("/")))
    }

    @Test("typographic operators a learner pastes mean the plain ones")
    func aliases() throws {
        let kinds = try Lexer.tokenize("12 × 12 ÷ 2").map(\.kind)
        #expect(kinds == [.integer(12), .symbol("*"), .integer(12), .symbol("/"), .integer(2), .end])
    }

    @Test("keywords are told apart from names")
    func keywords() throws {
        let kinds = try Lexer.tokenize("not x and true or android").map(\.kind)
        #expect(kinds == [.keyword("not"), .identifier("x"), .keyword("and"), .keyword("true"), .keyword("or"), .identifier("android"), .end])
    }

    @Test("strings take either quote and understand escapes")
    func strings() throws {
        let kinds = try Lexer.tokenize(#""bf16" 'a\'b'"#).map(\.kind)
        #expect(kinds == [.string("bf16"), .string("a'b"), .end])
    }

    @Test("columns count Unicode scalars, not bytes")
    func unicodeColumns() throws {
        let tokens = try Lexer.tokenize("\"héllo\" + x")
        #expect(tokens[1].column == 9)
        #expect(tokens[2].column == 11)
    }

    @Test("malformed pieces are errors at their column", arguments: [
        ("1 + $", 5), ("\"open", 1), ("1_", 2), ("12abc", 3), ("a && b", 3), ("99999999999999999999", 1),
    ])
    func errors(source: String, column: Int) {
        #expect(throws: ExpressionError.self) { try Lexer.tokenize(source) }
        do {
            _ = try Lexer.tokenize(source)
        } catch let error as ExpressionError {
            #expect(error.column == column, "\(source): \(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
