import Testing
@testable import ExpressionLanguage

@Suite("Arithmetic") struct ArithmeticTests {
    @Test("floor division and modulo round toward negative infinity, like Python")
    func flooring() throws {
        #expect(try Arithmetic.apply("//", .integer(-7), .integer(2), column: 1) == .integer(-4))
        #expect(try Arithmetic.apply("%", .integer(7), .integer(-3), column: 1) == .integer(-2))
        #expect(try Arithmetic.apply("%", .decimal(-1.5), .integer(1), column: 1) == .decimal(0.5))
    }

    @Test("integer overflow is an error at the operator, never a wrap-around")
    func overflow() {
        for op in ["+", "*", "^", "-"] {
            let rhs: Value = op == "-" ? .integer(Int.min) : .integer(Int.max)
            #expect(throws: ExpressionError.self, "\(op)") {
                try Arithmetic.apply(op, .integer(op == "-" ? 1 : 2), rhs, column: 9)
            }
        }
        #expect(throws: ExpressionError.self) { try Arithmetic.apply("/", .integer(Int.min), .integer(-1), column: 1) }
    }

    @Test("integers at the edge of the range still compute exactly")
    func edges() throws {
        #expect(try Arithmetic.apply("^", .integer(2), .integer(62), column: 1) == .integer(1 << 62))
        #expect(try Arithmetic.apply("^", .integer(-2), .integer(63), column: 1) == .integer(Int.min))
        #expect(try Arithmetic.apply("+", .integer(Int.max - 1), .integer(1), column: 1) == .integer(Int.max))
    }

    @Test("mixing integers and decimals gives decimals")
    func mixed() throws {
        guard case .decimal(let value) = try Arithmetic.apply("+", .integer(1), .decimal(0.5), column: 1) else {
            Issue.record("not a decimal")
            return
        }
        #expect(value == 1.5)
    }

    @Test("ordering compares numbers across kinds and refuses mixed kinds")
    func ordering() throws {
        #expect(try Arithmetic.apply("<", .integer(1), .decimal(1.5), column: 1) == .boolean(true))
        #expect(throws: ExpressionError.self) { try Arithmetic.apply("<", .shape([1]), .integer(1), column: 1) }
    }
}
