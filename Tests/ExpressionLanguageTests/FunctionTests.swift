import Testing
@testable import ExpressionLanguage

@Suite("Function") struct FunctionTests {
    private let scale = Function("scale", parameters: [.init("x"), .init("by", default: .integer(2))]) { arguments in
        .integer(try arguments.integer("x") * arguments.integer("by", in: 1...10))
    }

    private func run(_ source: String) throws -> Value {
        var evaluator = Evaluator()
        evaluator.functions["scale"] = scale
        return try evaluator.evaluate(source)
    }

    @Test("a signature shows defaults")
    func signature() {
        #expect(scale.signature == "scale(x, by: 2)")
    }

    @Test("defaults fill parameters that are left out")
    func defaults() throws {
        #expect(try run("scale(4)") == .integer(8))
        #expect(try run("scale(4, by: 3)") == .integer(12))
        #expect(try run("scale(by: 3, x: 5)") == .integer(15))
    }

    @Test("an argument's own error points at that argument")
    func argumentColumn() {
        do {
            _ = try run("scale(4, by: 11)")
            Issue.record("expected an error")
        } catch let error as ExpressionError {
            #expect(error.column == 10)
            #expect(error.message.contains("between 1 and 10"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("too many, duplicated or misspelt arguments are errors")
    func badArguments() {
        #expect(throws: ExpressionError.self) { try run("scale(1, 2, 3)") }
        #expect(throws: ExpressionError.self) { try run("scale(1, x: 2)") }
        #expect(throws: ExpressionError.self) { try run("scale(1, bye: 2)") }
        #expect(throws: ExpressionError.self) { try run("scale(x: 1.5)") }
    }
}
