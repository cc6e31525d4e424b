import Testing
@testable import ExpressionLanguage

@Suite("Builtins") struct BuiltinsTests {
    private func eval(_ source: String) throws -> Value {
        try Evaluator().evaluate(source)
    }

    @Test("min and max take several numbers or one list")
    func extremes() throws {
        #expect(try eval("min(4, 2, 8)") == .integer(2))
        #expect(try eval("max([4, 2.5, 8])") == .integer(8))
        #expect(try eval("min([3, 1.5])") == .decimal(1.5))
        #expect(throws: ExpressionError.self) { try eval("max()") }
        #expect(throws: ExpressionError.self) { try eval("max(1, \"a\")") }
    }

    @Test("sqrt of a perfect square is an integer")
    func squareRoot() throws {
        #expect(try eval("sqrt(64)") == .integer(8))
        guard case .integer = try eval("sqrt(64)") else {
            Issue.record("sqrt(64) should be an integer")
            return
        }
        #expect(try eval("sqrt(2)") == .decimal(2.0.squareRoot()))
    }

    @Test("round to whole numbers gives an integer, with digits a decimal")
    func rounding() throws {
        #expect(try eval("round(2.5)") == .integer(3))
        #expect(try eval("round(-2.5)") == .integer(-3))
        #expect(try eval("round(3.14159, digits: 3)") == .decimal(3.142))
        #expect(throws: ExpressionError.self) { try eval("round(1.5, digits: 99)") }
    }

    @Test("abs, len and divides answer their questions")
    func others() throws {
        #expect(try eval("abs(-3)") == .integer(3))
        #expect(try eval("abs(-3.5)") == .decimal(3.5))
        #expect(try eval("len([1, 2, 3])") == .integer(3))
        #expect(try eval("len(\"bf16\")") == .integer(4))
        #expect(try eval("divides(12, 768)") == .boolean(true))
        #expect(try eval("divides(7, 768)") == .boolean(false))
        #expect(throws: ExpressionError.self) { try eval("abs(-9223372036854775807 - 1)") }
    }
}
