import Testing
@testable import ExpressionLanguage

@Suite("Parser") struct ParserTests {
    private func columnOfError(_ source: String) -> Int? {
        do {
            _ = try Parser.parse(source)
            return nil
        } catch let error as ExpressionError {
            return error.column
        } catch {
            return nil
        }
    }

    @Test("multiplication binds tighter than addition")
    func precedence() throws {
        let tree = try Parser.parse("1 + 2 * 3")
        guard case .binary("+", .literal(.integer(1), _), .binary("*", _, _, _), _) = tree else {
            Issue.record("got \(tree)")
            return
        }
    }

    @Test("power is right-associative")
    func powerAssociativity() throws {
        let tree = try Parser.parse("2 ^ 3 ^ 2")
        guard case .binary("^", .literal(.integer(2), _), .binary("^", _, _, _), _) = tree else {
            Issue.record("got \(tree)")
            return
        }
    }

    @Test("unary minus binds looser than power")
    func negationAndPower() throws {
        let tree = try Parser.parse("-2 ^ 2")
        guard case .unary("-", .binary("^", _, _, _), _) = tree else {
            Issue.record("got \(tree)")
            return
        }
    }

    @Test("not binds looser than comparison and tighter than and")
    func notPrecedence() throws {
        let tree = try Parser.parse("not a == b and c")
        guard case .binary("and", .unary("not", .binary("==", _, _, _), _), .name("c", _), _) = tree else {
            Issue.record("got \(tree)")
            return
        }
    }

    @Test("calls take positional then named arguments, and chain with members and indexes")
    func postfixChain() throws {
        let tree = try Parser.parse("mha(768, heads: 12).output.shape[1]")
        guard case .index(.member(.member(.call(.name("mha", _), let arguments, _), "output", _), "shape", _), .literal(.integer(1), _), _) = tree else {
            Issue.record("got \(tree)")
            return
        }
        #expect(arguments.map(\.label) == [nil, "heads"])
    }

    @Test("syntax errors point at the offending column", arguments: [
        ("1 +", 4), ("(1 + 2", 7), ("f(a: 1, 2)", 9), ("f(a: 1, a: 2)", 9), ("1 < 2 < 3", 7),
        ("x = 3", 3), ("[1, 2", 6), ("a.", 3), ("", 1), ("1 2", 3), ("not", 4),
    ])
    func errorColumns(source: String, column: Int) {
        #expect(columnOfError(source) == column, "\(source)")
    }

    @Test("deep nesting is refused with an error instead of overflowing the stack")
    func deepNesting() {
        let parentheses = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(columnOfError(parentheses) != nil)
        let negations = String(repeating: "-", count: 10_000) + "1"
        #expect(columnOfError(negations) != nil)
        let nots = String(repeating: "not ", count: 10_000) + "true"
        #expect(columnOfError(nots) != nil)
        let chain = Array(repeating: "1", count: 1_000).joined(separator: " + ")
        #expect(columnOfError(chain) != nil)
    }

    @Test("moderate nesting is accepted")
    func moderateNesting() throws {
        let source = String(repeating: "(", count: 40) + "1" + String(repeating: ")", count: 40)
        _ = try Parser.parse(source)
        _ = try Parser.parse(Array(repeating: "1", count: 60).joined(separator: " + "))
    }
}
