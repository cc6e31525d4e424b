import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("a source parsed once evaluates afresh with each set of bindings")
func parsedSourceEvaluatesWithEachBindings() throws {
    let source = "d_model // h + 0 * \(Int.random(in: 0..<1_000_000))"
    #expect(try Expressions.evaluate(source, bindings: ["d_model": .integer(768), "h": .integer(12)]).get() == .integer(64))
    #expect(try Expressions.evaluate(source, bindings: ["d_model": .integer(512), "h": .integer(8)]).get() == .integer(64))
    #expect(try Expressions.evaluate(source, bindings: ["d_model": .integer(96), "h": .integer(3)]).get() == .integer(32))
    #expect(throws: ExpressionError.self) { try Expressions.evaluate(source, bindings: ["h": .integer(3)]).get() }
}

@Test("a syntax error is reported the same, at the same column, every time its source is evaluated")
func syntaxErrorRemembered() {
    let source = "768 / / 12"
    let first = Expressions.evaluate(source, bindings: [:])
    let second = Expressions.evaluate(source, bindings: ["x": .integer(1)])
    guard case .failure(let a) = first, case .failure(let b) = second else {
        Issue.record("`\(source)` evaluated")
        return
    }
    #expect(a.column == 7)
    #expect(a.column == b.column)
    #expect(a.message == b.message)
}
