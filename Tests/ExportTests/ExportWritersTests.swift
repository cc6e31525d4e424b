import Foundation
import Testing
@testable import Export
@testable import Exercises

/// A bank with one exercise of each shape an export must handle.
private let bank = """
format: 1
exercises:
  - id: scale
    kind: number
    given:
      d: [16, 64, 256]
    prompt: "Scores are divided by √d_k. With d_k = `= d`, by what?"
    answer: sqrt(d)
    wrong:
      - answer: d
        feedback: "Not by d_k itself: by its square root, `= sqrt(d)`."
    explain: "√`= d` = `= sqrt(d)`."
  - id: width
    kind: number
    given:
      m: [512, 768]
    prompt: "A model of width `= m` in 8 heads: how wide is a head?"
    answer: 'mha(d_model: m, heads: 8, tokens: 2).d_k'
    explain: Each head gets an equal share.
  - id: pick
    kind: multi
    prompt: "Which are projections? {braces} and = signs: # too"
    options:
      - text: W_Q
        correct: true
      - text: W_K
        correct: true
      - text: softmax
        feedback: Not a projection.
    explain: W_Q and W_K project.
  - id: one-word
    kind: text
    prompt: What joins the heads' outputs?
    accept: [concatenation, concat]
    explain: They are concatenated.
  - id: two-words
    kind: text
    prompt: What do the heads share?
    accept: [the input sequence]
    explain: The same input.
"""

private func set(variants: Int = 3) throws -> ExportSet {
    let loaded = ExerciseLoader.load(yaml: bank, path: "bank.yaml", set: "demo")
    guard loaded.isClean else { throw ExerciseProblems(loaded.diagnostics) }
    return ExportSet.draw(loaded.file.exercises, variants: variants)
}

@Test("a key over the parameters in plain arithmetic becomes one Moodle calculated question over the drawn variants")
func calculatedWhenExpressible() throws {
    let (xml, result) = MoodleXMLWriter.write(try set())
    #expect(xml.contains("<question type=\"calculated\">\n    <name><text>scale</text></name>"))
    #expect(xml.contains("<text>sqrt({d})</text>"))
    #expect(xml.contains("Scores are divided by √d_k. With d_k = {d}, by what?"))
    #expect(xml.contains("<dataset_item><number>3</number><value>256</value></dataset_item>"))
    #expect(xml.contains("<question type=\"numerical\">\n    <name><text>width 1</text></name>"), "mha(…) is not a Moodle formula, so each variant is numerical")
    #expect(result.skipped.map(\.id) == ["two-words"])
}

@Test("formulas convert operator by operator; names that are not parameters and unknown functions do not")
func formulaConversion() {
    #expect(MoodleFormula.convert("a * c + b ^ 2", parameters: ["a", "b", "c"]) == "(({a} * {c}) + pow({b}, 2))")
    #expect(MoodleFormula.convert("1 / sqrt(d)", parameters: ["d"]) == "(1 / sqrt({d}))")
    #expect(MoodleFormula.convert("n // 2 % 3", parameters: ["n"]) == "fmod(floor({n} / 2), 3)")
    #expect(MoodleFormula.convert("mha(d_model: d).d_k", parameters: ["d"]) == nil)
    #expect(MoodleFormula.convert("x + 1", parameters: ["d"]) == nil)
    #expect(MoodleFormula.substitute("d = `= d`, twice `= 2 * d`", parameters: ["d"]) == "d = {d}, twice {=(2 * {d})}")
}

@Test("GIFT escapes its special characters, weights multi options as mhalearn credits them, and lists a phrase it cannot match")
func giftWriting() throws {
    let (text, result) = GIFTWriter.write(try set())
    #expect(text.contains("::pick 1::[markdown]Which are projections? \\{braces\\} and \\= signs\\: \\# too{\n"))
    #expect(text.contains("~%50%W_Q\n"))
    #expect(text.contains("~%-50%softmax#Not a projection.\n"))
    #expect(text.contains("=concatenation\n=the concatenation\n"))
    #expect(text.contains("$CATEGORY: $course$/top/mhalearn/demo/scale\n"))
    #expect(result.skipped == [ExportSkip(id: "two-words", reason: "its accepted phrase `the input sequence` is matched ignoring spaces, punctuation and case, which a short-answer question's exact match cannot express; accept one-word phrases to export it")])
    #expect(result.exercises == 4)
    #expect(result.questions == 3 + 2 + 1 + 1)
}

@Test("the GIFT, Moodle and QTI files parse in the reference readers of scripts/export-check.py")
func referenceReaders() throws {
    guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
        print("skipped: python3 is not installed; scripts/export-check.py reads the exported files back")
        return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-export-unit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let exported = try set()
    let gift = folder.appendingPathComponent("q.gift"), moodle = folder.appendingPathComponent("q.xml"), qti = folder.appendingPathComponent("q.zip")
    try Data(GIFTWriter.write(exported).text.utf8).write(to: gift)
    try Data(MoodleXMLWriter.write(exported).text.utf8).write(to: moodle)
    try ZipFile.make(QTIWriter.write(exported, title: "t").files.map { ($0.name, Data($0.contents.utf8)) }).write(to: qti)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/export-check.py").standardizedFileURL.path
    for (format, file) in [("gift", gift), ("moodle", moodle), ("qti", qti)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, format, file.path]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(format): \(message)")
        let questions = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["questions"] as? [[String: Any]])
        let scale = questions.filter { ($0["title"] as? String)?.hasPrefix("scale") == true }
        #expect(scale.compactMap { ($0["key"] as? NSNumber)?.doubleValue } == [4, 8, 16], "\(format): the keys of sqrt(d) for d = 16, 64, 256")
    }
}
