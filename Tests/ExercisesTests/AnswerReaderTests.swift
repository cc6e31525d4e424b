import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("every usual way of writing 64 reads as 64", arguments: ["64", "64.0", " 64 ", "d_k = 64", "d_k: 64", "64 dims", "64 dimensions", "768/12", "8*8", "8 × 8", "2^6", "(768 / 12)", "`64`"])
func numberForms(_ input: String) {
    #expect(AnswerReader.number(input) == .number(64))
}

@Test("thousands separators and decimals are read")
func numberSeparators() {
    #expect(AnswerReader.number("1,024") == .number(1024))
    #expect(AnswerReader.number("2_359_296") == .number(2_359_296))
    #expect(AnswerReader.number("0.125") == .number(0.125))
    #expect(AnswerReader.number("-3") == .number(-3))
}

@Test("letters, empty lines, names and broken arithmetic are unreadable, not wrong", arguments: ["", "   ", "sixty-four", "sixty four", "banana", "d_model / h", "12 +", "KiB", "x 4"])
func numberUnreadable(_ input: String) {
    guard case .unreadable(let message) = AnswerReader.number(input) else {
        Issue.record("`\(input)` should be unreadable")
        return
    }
    #expect(!message.isEmpty)
}

@Test("every usual way of writing a shape reads as the same dimensions", arguments: ["[11, 64]", "(11, 64)", "11x64", "11 × 64", "11,64", "11 by 64", "shape = [11, 64]", "[11, 768/12]", "11 64"])
func shapeForms(_ input: String) {
    #expect(AnswerReader.shape(input) == .shape([11, 64]))
}

@Test("shapes with missing or fractional dimensions are unreadable", arguments: ["", "[11, ]", "[11, 6.5]", "[a, b]", "[]"])
func shapeUnreadable(_ input: String) {
    if case .unreadable = AnswerReader.shape(input) { return }
    Issue.record("`\(input)` should be unreadable")
}

@Test("a choice is read by letter in any dress, or by the option's text")
func choiceForms() {
    let options = ["Each head attends differently.", "More parameters.", "Fewer tokens."]
    for input in ["b", "B", "b)", "(b)", " b. "] {
        #expect(AnswerReader.choice(input, options: options) == .choices([1]))
    }
    #expect(AnswerReader.choice("more parameters", options: options) == .choices([1]))
    #expect(AnswerReader.choice("  FEWER tokens ", options: options) == .choices([2]))
    if case .unreadable(let message) = AnswerReader.choice("d", options: options) {
        #expect(message.contains("from a to c"))
    } else {
        Issue.record("an out-of-range letter should be unreadable")
    }
    if case .choices = AnswerReader.choice("3", options: options) { Issue.record("a digit is not a letter") }
}

@Test("several choices are read from letters separated any reasonable way")
func multiForms() {
    let options = ["w", "x", "y", "z"]
    for input in ["a, c", "a c", "ac", "A and C", "c,a", "a;c", "a & c"] {
        #expect(AnswerReader.choices(input, options: options) == .choices([0, 2]))
    }
    if case .choices = AnswerReader.choices("a, e", options: options) { Issue.record("e is not an option") }
    if case .choices = AnswerReader.choices("", options: options) { Issue.record("empty is unreadable") }
}

@Test("text is compared without case, spacing, hyphens, accents or a leading article")
func textKeys() {
    #expect(AnswerReader.textKey("Multi-Head  Attention") == AnswerReader.textKey("multihead attention"))
    #expect(AnswerReader.textKey("The concatenation.") == "concatenation")
    #expect(AnswerReader.textKey("Café") == "cafe")
    #expect(AnswerReader.text("  ") == .unreadable("Nothing to grade. Type your answer in a few words."))
}

@Test("an absurdly long answer is unreadable rather than evaluated")
func overlongAnswer() throws {
    let question = try Fixtures.question("dk-from-d-model")
    let input = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
    #expect(Grader.grade(input, for: question).outcome == .unreadable)
}
