import Testing
import TestSupport
@testable import ExpressionLanguage

@Suite("Evaluator") struct EvaluatorTests {
    private func eval(_ source: String, _ bindings: [String: Value] = [:]) throws -> Value {
        try Evaluator(bindings: bindings).evaluate(source)
    }

    private func failure(_ source: String, _ bindings: [String: Value] = [:]) -> ExpressionError? {
        do {
            _ = try eval(source, bindings)
            return nil
        } catch let error as ExpressionError {
            return error
        } catch {
            Issue.record("not an ExpressionError: \(error)")
            return nil
        }
    }

    @Test("each operator computes its result", arguments: [
        ("7 + 5", Value.integer(12)), ("7 - 5", .integer(2)), ("7 * 5", .integer(35)),
        ("768 / 12", .integer(64)), ("7 / 2", .decimal(3.5)), ("7 // 2", .integer(3)), ("-7 // 2", .integer(-4)),
        ("7 % 3", .integer(1)), ("-7 % 3", .integer(2)), ("2 ^ 10", .integer(1024)), ("2 ^ -1", .decimal(0.5)),
        ("1.5 * 2", .decimal(3)), ("7.5 // 2", .decimal(3)), ("7.5 % 2", .decimal(1.5)),
        ("\"a\" + \"b\"", .string("ab")), ("[1] + [2]", .list([.integer(1), .integer(2)])),
    ])
    func operators(source: String, expected: Value) throws {
        #expect(try eval(source) == expected)
    }

    @Test("integer division that divides evenly stays an integer")
    func exactDivisionIsInteger() throws {
        guard case .integer(64) = try eval("768 / 12") else {
            Issue.record("768 / 12 is not the integer 64")
            return
        }
        guard case .decimal = try eval("769 / 12") else {
            Issue.record("769 / 12 should be a decimal")
            return
        }
    }

    @Test("precedence and associativity follow arithmetic", arguments: [
        ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("2 ^ 3 ^ 2", 512), ("-2 ^ 2", -4), ("2 * -3", -6),
        ("10 - 4 - 3", 3), ("100 / 10 / 5", 2), ("2 ^ -1 * 4", 2), ("1_000 // 7 % 10", 2),
    ])
    func precedence(source: String, expected: Int) throws {
        #expect(try eval(source) == .integer(expected))
    }

    @Test("comparisons and logic produce booleans", arguments: [
        ("1 < 2", true), ("2 <= 2", true), ("3 > 4", false), ("4 >= 5", false), ("1 == 1.0", true), ("1 != 2", true),
        ("\"a\" < \"b\"", true), ("true and false", false), ("true or false", true), ("not false", true),
        ("not 1 == 2 and 3 > 2", true), ("[11, 64] == [11, 64]", true),
    ])
    func logic(source: String, expected: Bool) throws {
        #expect(try eval(source) == .boolean(expected))
    }

    @Test("and and or skip the right side once the left decides")
    func shortCircuit() throws {
        #expect(try eval("false and missing") == .boolean(false))
        #expect(try eval("true or 1 / 0 == 1") == .boolean(true))
    }

    @Test("names read bindings, lists index from zero and from the end")
    func bindingsAndIndexing() throws {
        let shape: [String: Value] = ["s": .shape([11, 64]), "h": .integer(12)]
        #expect(try eval("s[1] * h", shape) == .integer(768))
        #expect(try eval("s[-2]", shape) == .integer(11))
        #expect(try eval("[1, 2, 3][2]") == .integer(3))
    }

    @Test("calls accept positional and named arguments")
    func calls() throws {
        #expect(try eval("round(2.345, digits: 2)") == .decimal(2.35))
        #expect(try eval("round(x: 2.5)") == .integer(3))
        #expect(try eval("max(3, 9, 4)") == .integer(9))
    }

    @Test("errors carry the column of what went wrong", arguments: [
        ("1 / 0", 3), ("1 // 0", 3), ("5 % 0", 3), ("0 ^ -1", 3), ("1 + \"a\"", 3), ("-\"a\"", 1),
        ("not 3", 5), ("1 and true", 1), ("[1, 2][5]", 8), ("[1][\"a\"]", 5), ("heds + 1", 1),
        ("sqrt(-4)", 6), ("round(1.5, digitz: 2)", 12), ("sqrt()", 1), ("3(4)", 2), ("x.y", 3),
        ("2 ^ 64", 3), ("9223372036854775807 + 1", 21), ("9223372036854775807 * 2", 21), ("1e308 * 10", 7),
        ("(-8) ^ 0.5", 6), ("1 < \"a\"", 3),
    ])
    func errorColumns(source: String, column: Int) {
        let found = failure(source, ["x": .integer(1), "heads": .integer(12)])
        #expect(found?.column == column, "\(source): \(String(describing: found))")
    }

    @Test("an unknown name suggests the closest known one")
    func suggestion() {
        let found = failure("heds * 2", ["heads": .integer(12)])
        #expect(found?.message.contains("did you mean `heads`") == true)
    }

    @Test("an unknown name, member or argument says which, as a value, beside its message")
    func errorKinds() {
        #expect(failure("heds * 2", ["heads": .integer(12)])?.kind == .unknownName("heds"))
        #expect(failure("sqrt(y: 4)")?.kind == .unknownArgument("y"))
        #expect(failure("1 +")?.kind == .other)
        #expect(failure("1 +")?.shifted(by: 4).column == (failure("1 +")?.column ?? 0) + 4)
    }

    @Test("an unknown name far from every known one lists what is known")
    func listing() {
        let found = failure("zzzzzz", ["layer": .integer(1)])
        #expect(found?.message.contains("layer") == true)
        #expect(found?.message.contains("sqrt") == true)
    }

    @Test("huge exponents end quickly with an error")
    func hugeExponents() throws {
        #expect(failure("2 ^ 999999999999")?.column == 3)
        #expect(failure("2.0 ^ 999999999999")?.column == 5)
        #expect(try eval("1 ^ 999999999999") == .integer(1))
        #expect(try eval("(-1) ^ 999999999999") == .integer(-1))
    }

    @Test("random garbage never crashes: it evaluates or throws an ExpressionError")
    func garbage() {
        var generator = SplitMix(seed: 42)
        let alphabet = Array("0123456789 +-*/%^()[].,:=<>!\"'_abcxyz andornot true false × é\\\t")
        let fragments = ["mha(", "sqrt(", "max(", ")", "[", "]", "1_000", "2^", "//", "not ", " and ", "heads", "1e308", "9223372036854775807"]
        for _ in 0..<3_000 {
            var source = ""
            for _ in 0..<Int(generator.next() % 40) {
                if generator.next() % 4 == 0 {
                    source += fragments[Int(generator.next() % UInt64(fragments.count))]
                } else {
                    source.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
                }
            }
            do {
                _ = try eval(source, ["heads": .integer(12), "s": .shape([11, 64])])
            } catch is ExpressionError {
            } catch {
                Issue.record("\(source) threw \(error)")
            }
        }
    }
}
