import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

/// One documented notation: a form that reads as `value`, and a near miss that must not.
struct NotationCase: Sendable, CustomTestStringConvertible {
    var notation: String
    var right: String
    var value: Double
    var wrong: String
    var testDescription: String { notation }
}

let notationCases: [NotationCase] = [
    NotationCase(notation: "ASCII x between numbers", right: "36 x 4", value: 144, wrong: "36 y 4"),
    NotationCase(notation: "x without spaces", right: "36x4", value: 144, wrong: "36xx4"),
    NotationCase(notation: "star", right: "36 * 4", value: 144, wrong: "36 ** "),
    NotationCase(notation: "times sign", right: "36 × 4", value: 144, wrong: "× 4"),
    NotationCase(notation: "sqrt()", right: "sqrt(64)", value: 8, wrong: "sqrt(-64)"),
    NotationCase(notation: "root sign", right: "√64", value: 8, wrong: "√"),
    NotationCase(notation: "root sign with brackets", right: "√(16 * 4)", value: 8, wrong: "√(16 * )"),
    NotationCase(notation: "digit groups with spaces", right: "38 400", value: 38_400, wrong: "38 40"),
    NotationCase(notation: "digit groups with commas", right: "524,288", value: 524_288, wrong: "524,28,8"),
    NotationCase(notation: "digit groups with thin spaces", right: "524\u{2009}288", value: 524_288, wrong: "524\u{2009}28"),
    NotationCase(notation: "digit groups with underscores", right: "2_359_296", value: 2_359_296, wrong: "2__359"),
    NotationCase(notation: "number words", right: "twelve", value: 12, wrong: "twelvety"),
    NotationCase(notation: "none as zero", right: "none", value: 0, wrong: "nonesuch"),
    NotationCase(notation: "a number word with a unit", right: "one head", value: 1, wrong: "one-ish"),
    NotationCase(notation: "k suffix", right: "16k", value: 16_000, wrong: "k16"),
    NotationCase(notation: "M suffix", right: "1.5M", value: 1_500_000, wrong: "M1.5"),
    NotationCase(notation: "B suffix", right: "7B", value: 7e9, wrong: "B7"),
    NotationCase(notation: "thousand", right: "3 thousand", value: 3_000, wrong: "thousand"),
    NotationCase(notation: "million", right: "56.7 million", value: 56_700_000, wrong: "million 56.7"),
    NotationCase(notation: "billion", right: "2 billion", value: 2e9, wrong: "billion"),
    NotationCase(notation: "KB is 1000 bytes", right: "16 KB", value: 16_000, wrong: "KB"),
    NotationCase(notation: "KiB is 1024 bytes", right: "16 KiB", value: 16_384, wrong: "KiB 16"),
    NotationCase(notation: "MiB", right: "1.5 MiB", value: 1_572_864, wrong: "MiB"),
    NotationCase(notation: "MB", right: "2 MB", value: 2_000_000, wrong: "MB 2"),
    NotationCase(notation: "GiB", right: "1 GiB", value: 1_073_741_824, wrong: "GiB"),
]

@Test("each documented notation reads as its number, and its near miss does not", arguments: notationCases)
func notation(_ example: NotationCase) {
    #expect(AnswerReader.number(example.right) == .number(example.value), "\(example.right)")
    if case .number(let value) = AnswerReader.number(example.wrong), value == example.value {
        Issue.record("`\(example.wrong)` should not read as \(example.value)")
    }
}

@Test("KiB and KB are different sizes, and a byte unit is read with its real value")
func byteUnitsDiffer() throws {
    let kib = try AnswerReader.quantity("16 KiB").get(), kb = try AnswerReader.quantity("16 KB").get()
    #expect(kib.value == 16_384 && kb.value == 16_000)
    #expect(kib.unit == .bytes && !kib.decimalBytes && kb.decimalBytes)
    #expect(try AnswerReader.quantity("512 B", unit: .bytes).get().value == 512)
    #expect(try AnswerReader.quantity("512 B").get().value == 512e9)
}

@Test("every form accepted before the new reader is still read the same")
func acceptedBefore() {
    let numbers: [(String, Double)] = [("64", 64), ("64.0", 64), (" 64 ", 64), ("d_k = 64", 64), ("d_k: 64", 64), ("64 dims", 64),
                                       ("64 dimensions", 64), ("768/12", 64), ("8*8", 64), ("8 × 8", 64), ("2^6", 64), ("(768 / 12)", 64),
                                       ("`64`", 64), ("1,024", 1024), ("2_359_296", 2_359_296), ("0.125", 0.125), ("-3", -3),
                                       ("12 × 64", 768), ("64 heads", 64), ("1e3", 1000)]
    for (input, value) in numbers { #expect(AnswerReader.number(input) == .number(value), "\(input)") }
    let options = ["Each head attends differently.", "More parameters.", "Fewer tokens."]
    for input in ["b", "B", "b)", "(b)", " b. ", "more parameters", "More parameters."] {
        #expect(AnswerReader.choice(input, options: options) == .choices([1]), "\(input)")
    }
    let four = ["w", "x", "y", "z"]
    for input in ["a, c", "a c", "ac", "A and C", "c,a", "a;c", "a & c", "a/c", "a+c"] {
        #expect(AnswerReader.choices(input, options: four) == .choices([0, 2]), "\(input)")
    }
}

let mqaOptions = ["MHA, one K and V head per query head", "MQA, multi-query attention", "GQA, grouped-query attention",
                  "Yes; every head shares one key head"]

@Test("an option is picked by its letter, `option b`, its text, or a phrase only it has",
      arguments: [("option b", 1), ("(b)", 1), ("MQA", 1), ("multi-query", 1), ("Multi-Query Attention", 1),
                  ("grouped query", 2), ("yes", 3), ("mqa, multi-query attention", 1)])
func optionByMeaning(_ input: String, _ index: Int) {
    #expect(AnswerReader.choice(input, options: mqaOptions) == .choices([index]))
}

@Test("a phrase in several options is a format message listing them; a phrase in none is not an option")
func ambiguousPhrase() {
    guard case .unreadable(let message) = AnswerReader.choice("attention", options: mqaOptions) else {
        Issue.record("`attention` is in two options"); return
    }
    #expect(message.contains("b) MQA") && message.contains("c) GQA") && !message.contains("a) MHA"))
    if case .choices = AnswerReader.choice("no", options: mqaOptions) { Issue.record("no option begins with no") }
    if case .choices = AnswerReader.choice("banana", options: mqaOptions) { Issue.record("banana is in no option") }
}

@Test("all and none work on a select-all question, and options may be named by phrase")
func allNoneAndPhrases() {
    #expect(AnswerReader.choices("all", options: mqaOptions) == .choices([0, 1, 2, 3]))
    #expect(AnswerReader.choices("All of the above", options: mqaOptions) == .choices([0, 1, 2, 3]))
    #expect(AnswerReader.choices("none", options: mqaOptions) == .choices([]))
    #expect(AnswerReader.choices("MQA, GQA", options: mqaOptions) == .choices([1, 2]))
    #expect(AnswerReader.choices("option a and option c", options: mqaOptions) == .choices([0, 2]))
    if case .choices = AnswerReader.choices("MQA, banana", options: mqaOptions) { Issue.record("banana is no option") }
}

@Test("check writes each key in every notation that fits it, and each is graded correct")
func checkerNotations() throws {
    let question = try unitQuestion(answer: "16 * 1024", unit: "bytes")
    let forms = ExerciseChecker.notations(of: question)
    for form in ["16384", "16,384", "16 384", "16\u{2009}384", "16_384", "2 x 8192", "2x8192", "sqrt(268435456)", "√268435456", "16 KiB", "16384 bytes"] {
        #expect(forms.contains(form), "\(form)")
    }
    for form in forms { #expect(Grader.grade(form, for: question).outcome == .correct, "\(form)") }
    var findings = ExerciseChecker.Findings()
    ExerciseChecker.proveNotations(question, context: "", into: &findings)
    #expect(findings.finished.isEmpty)
    let small = ExerciseChecker.notations(of: try unitQuestion(answer: "d_model / h"))
    #expect(small.contains("sixty-four") == false && small.contains("64 dims") && small.contains("2 x 32"))
    let twelve = ExerciseChecker.notations(of: try unitQuestion(answer: "h"))
    #expect(twelve.contains("twelve"))
}

@Test("check reports, at the answer, a notation of the key that is not graded correct")
func checkerCatchesUnreadNotation() throws {
    var question = try unitQuestion(answer: "d_model / h")
    question.exercise.kind = .shape
    var findings = ExerciseChecker.Findings()
    ExerciseChecker.proveNotations(question, context: " with d_model = 768", into: &findings)
    let message = try #require(findings.finished.first?.message)
    #expect(message.contains("the answer key written as `64` with d_model = 768 is graded unreadable"))
}

@Test("odd input is read or refused with a message, never trusted as a number it is not",
      arguments: ["√√", "x", "×", "1e400", "1e308 GiB", "sqrt(", "√-4", "KiB KiB", "1.2.3", "1,2345", "- 5", "12 x", "none of it",
                  "\u{0}", "  ,  ", "9999999999999999999999 M", "option", "all", "(b", "½", "٣"])
func oddInput(_ input: String) {
    switch AnswerReader.number(input) {
    case .number(let value): #expect(value.isFinite, "\(input)")
    case .unreadable(let message): #expect(!message.isEmpty)
    default: Issue.record("a number is read as a number or refused")
    }
    let options = ["MHA", "MQA"]
    switch AnswerReader.choice(input, options: options) {
    case .choices(let picked): #expect(picked.allSatisfy { $0 < options.count })
    case .unreadable(let message): #expect(!message.isEmpty)
    default: Issue.record("a choice is read as options or refused")
    }
    switch AnswerReader.choices(input, options: options) {
    case .choices(let picked): #expect(picked.allSatisfy { $0 < options.count })
    case .unreadable(let message): #expect(!message.isEmpty)
    default: Issue.record("choices are read as options or refused")
    }
}
