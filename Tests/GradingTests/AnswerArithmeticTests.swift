import Testing
@testable import Grading
import ExpressionLanguage
import TestSupport

@Suite("AnswerArithmetic")
struct AnswerArithmeticTests {
    /// Arithmetic a learner may type, and random combinations of it.
    static func forms() -> [String] {
        var forms = ["768/12", "12 * 64", "7/2", "7//2", "-7 % 3", "7 % -3", "2^10", "2^-1", "-2^2", "2^3^2", "2**10", "sqrt(4096)", "sqrt(2)",
                     "(1024 - 64) // 2", "1.5 * 4", "0.1 + 0.2", "3 - -2", "9223372036854775807 + 1", "2^63", "1/0", "5 % 0", "sqrt(-4)",
                     "((((1))))", "4096/64/8", ".5 * 4", "10 // 0.3", "10.5 % 3", "-(3 + 4) * 2", "+5"]
        var random = SplitMix(seed: 7)
        let pieces = ["1", "2", "3", "7", "12", "64", "768", "0.5", "1.5", "(", ")", " + ", " - ", " * ", " / ", " // ", " % ", "^", "sqrt(", "-"]
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<(2 + Int(random.next() % 6)) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            forms.append(text)
        }
        return forms
    }

    @Test("agrees with the expression language on every form both read (same value, or both refuse)")
    func agreesWithTheLanguage() {
        for form in AnswerArithmeticTests.forms() {
            let language: Double? = (try? Evaluator(bindings: [:]).evaluate(Evaluator.parse(form)))?.number
            let answer: Double? = try? AnswerArithmetic.evaluate(form).get()
            if form.contains("^") || form.contains("**"), let language, language.rounded() != language { continue }
            switch (language, answer) {
            case let (a?, b?):
                #expect(a == b || abs(a - b) <= 1e-12 * max(1, abs(a)), "`\(form)`: language \(a), answer reader \(b)")
            case (nil, nil):
                break
            default:
                #expect(Bool(false), "`\(form)`: language \(String(describing: language)), answer reader \(String(describing: answer))")
            }
        }
    }

    @Test("a fractional power is refused with a sentence that says to write sqrt")
    func fractionalPower() {
        guard case .failure(let problem) = AnswerArithmetic.evaluate("4 ^ 0.5") else {
            Issue.record("4 ^ 0.5 was read")
            return
        }
        #expect(problem.message.contains("sqrt"))
    }
}
