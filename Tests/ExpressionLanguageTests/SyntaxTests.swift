import Testing
@testable import ExpressionLanguage

@Suite("Syntax") struct SyntaxTests {
    @Test("a binary node starts at its left operand and reports at its operator")
    func binaryColumns() throws {
        let tree = try Evaluator.parse("ab + cd")
        #expect(tree.startColumn == 1)
        #expect(tree.column == 4)
    }

    @Test("member and index nodes report at the member name and the bracket")
    func postfixColumns() throws {
        let member = try Evaluator.parse("layer.d_k")
        #expect(member.startColumn == 1)
        #expect(member.column == 7)
        let index = try Evaluator.parse("s[0]")
        #expect(index.column == 2)
    }

    @Test("a call reports at its callee and keeps argument labels and columns")
    func callColumns() throws {
        guard case .call(let callee, let arguments, _) = try Evaluator.parse("f(1, x: 2)") else {
            Issue.record("not a call")
            return
        }
        #expect(callee.column == 1)
        #expect(arguments.map(\.label) == [nil, "x"])
        #expect(arguments.map(\.column) == [3, 6])
    }
}
