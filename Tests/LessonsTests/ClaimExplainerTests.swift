import Testing
import LiveValues
import ExpressionLanguage
@testable import Lessons

@Suite("ClaimExplainer") struct ClaimExplainerTests {
    private func explain(_ source: String) throws -> String? {
        let evaluator = Evaluator(live: ["a": .integer(64), "b": .integer(32), "s": .shape([11, 64])])
        return ClaimExplainer(source: source, evaluator: evaluator).explain(try Evaluator.parse(source))
    }

    @Test("equality names both values", arguments: [
        ("a == 32", "a is 64, not 32."),
        ("a == b", "a is 64, but b is 32."),
        ("s == [11, 768]", "s is [11, 64], not [11, 768]."),
        ("a != 64", "a and 64 are both 64."),
        ("(a) == (b * 1)", "a is 64, but b * 1 is 32."),
        ("a * 8192 == 524289", "a * 8192 is 524,288, not 524,289."),
    ])
    func equality(source: String, message: String) throws {
        #expect(try explain(source) == message)
    }

    @Test("orderings say which bound failed", arguments: [
        ("a < 10", "a is 64, which is not less than 10."),
        ("a <= b", "a is 64, which is not at most 32 (b)."),
        ("b > a", "b is 32, which is not more than 64 (a)."),
        ("b >= 40", "b is 32, which is not at least 40."),
    ])
    func ordering(source: String, message: String) throws {
        #expect(try explain(source) == message)
    }

    @Test("a conjunction explains its first false part")
    func conjunction() throws {
        #expect(try explain("a == 64 and b > 40") == "b is 32, which is not more than 40.")
        #expect(try explain("a == 1 and b == 32") == "a is 64, not 1.")
    }

    @Test("negation and disjunction are described")
    func others() throws {
        #expect(try explain("not a == 64") == "`a == 64` is true.")
        #expect(try explain("a == 1 or b == 1")?.hasPrefix("neither") == true)
    }
}
