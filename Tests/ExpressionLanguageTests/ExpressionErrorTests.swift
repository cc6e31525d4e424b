import Testing
@testable import ExpressionLanguage

@Suite("ExpressionError") struct ExpressionErrorTests {
    @Test("an expression error names its column")
    func format() {
        #expect(ExpressionError(column: 3, "division by zero").description == "column 3: division by zero")
    }

    @Test("the evaluator's errors are ExpressionErrors whose column lies inside the source")
    func columnsInside() {
        for source in ["1 +", "x", "(1", "2 ^ 99", "\"a", "max()", "[1][3]"] {
            do {
                _ = try Evaluator().evaluate(source)
                Issue.record("\(source) should fail")
            } catch let error as ExpressionError {
                #expect(error.column >= 1 && error.column <= source.unicodeScalars.count + 1, "\(source): \(error)")
            } catch {
                Issue.record("\(source) threw \(error)")
            }
        }
    }
}
