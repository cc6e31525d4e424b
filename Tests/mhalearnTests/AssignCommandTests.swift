import Foundation
import Testing

@Test("assign → learners fill their templates → grade: per-learner variants, templates graded as they are, the sheet not taken for a learner")
func assignThenGrade() throws {
    let home = try validFixtureContent()
    defer { try? FileManager.default.removeItem(at: home) }
    try Data("id,name\nada,Ada Lovelace\nbob,Bob\ncy,\"Cy, Jr.\"\n".utf8).write(to: home.appendingPathComponent("class.csv"))
    let out = home.appendingPathComponent("week3")
    let assigned = try CLI.run(["assign", "dk-from-d-model", "name-of-concat", "--learners", home.appendingPathComponent("class.csv").path,
                                "--seed", "42", "--out", out.path], environment: ["MHALEARN_HOME": home.path])
    #expect(assigned.status == 0, "\(assigned.stderr)")
    #expect(assigned.stdout.contains("Assigned 2 questions to each of 3 learners (seed 42)"), "\(assigned.stdout)")
    func seeds(_ learner: String) throws -> [String: UInt64] {
        let text = try String(contentsOf: out.appendingPathComponent("answers/\(learner).txt"), encoding: .utf8)
        var found: [String: UInt64] = [:]
        var pending: UInt64?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("variant-seed: ") { pending = UInt64(line.dropFirst("variant-seed: ".count)) }
            else if !line.hasPrefix("#"), let colon = line.firstIndex(of: ":"), let seed = pending { found[String(line[..<colon])] = seed }
        }
        return found
    }
    let ada = try seeds("ada"), bob = try seeds("bob"), cy = try seeds("cy")
    #expect(Set(ada.keys) == ["dk-from-d-model", "name-of-concat"])
    #expect(Set([ada["dk-from-d-model"], bob["dk-from-d-model"], cy["dk-from-d-model"]]).count == 3, "neighbours get their own variants")
    let sheet = try String(contentsOf: out.appendingPathComponent("sheets/ada.txt"), encoding: .utf8)
    #expect(sheet.contains("Ada Lovelace (ada) · 2 questions"))
    #expect(sheet.contains("Question 1 of 2 · dk-from-d-model · variant-seed \(ada["dk-from-d-model"] ?? 0)"))
    // The learners fill in their files: Ada right, Bob right at the second try, Cy leaves one empty.
    func fill(_ learner: String, _ answers: [String: [String]]) throws {
        let file = out.appendingPathComponent("answers/\(learner).txt")
        var text = try String(contentsOf: file, encoding: .utf8)
        for (id, lines) in answers {
            text = text.replacingOccurrences(of: "\n\(id): \n", with: "\n" + lines.map { "\(id): \($0)" }.joined(separator: "\n") + "\n")
        }
        try Data(text.utf8).write(to: file)
    }
    let adaKey = try sheetKey("dk-from-d-model", seed: ada["dk-from-d-model"] ?? 0, content: home)
    let bobKey = try sheetKey("dk-from-d-model", seed: bob["dk-from-d-model"] ?? 0, content: home)
    try fill("ada", ["dk-from-d-model": [adaKey], "name-of-concat": ["concatenation"]])
    try fill("bob", ["dk-from-d-model": ["99999", bobKey], "name-of-concat": ["addition"]])
    try fill("cy", ["name-of-concat": ["concat"]])
    // Grading the whole folder: the sheets are recognised and left out.
    let graded = try CLI.run(["grade", out.path], environment: ["MHALEARN_HOME": home.path])
    #expect(graded.status == 0, "\(graded.stderr)")
    #expect(graded.stdout == """
    learner,score,first_try,dk-from-d-model,name-of-concat
    ada,2,2,1,1
    bob,0.50,0,0.50,0
    cy,1,1,,1

    """, "\(graded.stdout)")
    #expect(graded.stderr.contains("name-of-concat (text, 3 learners)"), "\(graded.stderr)")
}

@Test("assign refuses a roster with a bad id or a learner listed twice, naming the line, and does not overwrite")
func assignRosterProblems() throws {
    let home = try validFixtureContent()
    defer { try? FileManager.default.removeItem(at: home) }
    let roster = home.appendingPathComponent("class.csv")
    try Data("ada\n../etc/passwd\n".utf8).write(to: roster)
    let bad = try CLI.run(["assign", "basics", "--learners", roster.path, "--out", home.appendingPathComponent("o").path], environment: ["MHALEARN_HOME": home.path])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("class.csv:2: `../etc/passwd` is not a learner id"), "\(bad.stderr)")
    try Data("ada\nbob\nada\n".utf8).write(to: roster)
    let twice = try CLI.run(["assign", "basics", "--learners", roster.path, "--out", home.appendingPathComponent("o").path], environment: ["MHALEARN_HOME": home.path])
    #expect(twice.stderr.contains("class.csv:3: learner `ada` is listed twice (first at line 1)"), "\(twice.stderr)")
    try Data("ada\n".utf8).write(to: roster)
    let first = try CLI.run(["assign", "basics", "--learners", roster.path, "--count", "2", "--out", home.appendingPathComponent("o").path], environment: ["MHALEARN_HOME": home.path])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Assigned 2 questions to each of 1 learner"), "\(first.stdout)")
    let again = try CLI.run(["assign", "basics", "--learners", roster.path, "--out", home.appendingPathComponent("o").path], environment: ["MHALEARN_HOME": home.path])
    #expect(again.status == 64)
    #expect(again.stderr.contains("already exists"))
}
