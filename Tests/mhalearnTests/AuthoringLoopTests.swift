import Foundation
import Testing

/// A content folder with `exercises/` holding `files` (path under exercises/ → YAML) and an empty `lessons/`.
private func contentFolder(_ files: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-authoring-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("lessons"), withIntermediateDirectories: true)
    for (path, text) in files {
        let file = root.appendingPathComponent("exercises").appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }
    return root
}

private func exercise(_ id: String, answer: String = "2 * 2") -> String {
    """
    format: 1
    exercises:
      - id: \(id)
        kind: number
        prompt: What is it?
        answer: \(answer)
        explain: It is.

    """
}

@Test("new exercise refuses an id the bank already uses, naming where, and writes nothing")
func newExerciseDuplicateID() throws {
    let root = try contentFolder(["heads/width.yaml": exercise("head-width")])
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try CLI.run(["new", "exercise", "--set", "other", "head-width", "--content", root.path])
    #expect(result.status == 64)
    #expect(result.stderr.contains("`head-width` is already an exercise id, at exercises/heads/width.yaml:3:5"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("exercises/other/head-width.yaml").path))
}

@Test("checking one exercise file checks its ids against the whole bank")
func checkOneFileAgainstBank() throws {
    let root = try contentFolder(["a/one.yaml": exercise("shared"), "b/two.yaml": exercise("shared")])
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try CLI.run(["check", "exercises/b/two.yaml"], environment: ["MHALEARN_HOME": root.path], cwd: root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("exercises/b/two.yaml:3:5: error: duplicate exercise id `shared`; it is already used at exercises/a/one.yaml:3:5"), "\(result.stderr)")
}

@Test("new lesson adds the lesson to lessons/course.yaml, after the listed ones, keeping the comments")
func newLessonJoinsCourse() throws {
    let root = try contentFolder([:])
    defer { try? FileManager.default.removeItem(at: root) }
    try Data("# order\nlessons:\n  - attention\n  - multi-head\n".utf8).write(to: root.appendingPathComponent("lessons/course.yaml"))
    let result = try CLI.run(["new", "lesson", "grouped-queries", "--content", root.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Added grouped-queries to lessons/course.yaml"))
    #expect(try String(contentsOf: root.appendingPathComponent("lessons/course.yaml"), encoding: .utf8) == "# order\nlessons:\n  - attention\n  - multi-head\n  - grouped-queries\n")
}

@Test("--sheet writes numbers one way, keys and wrong values alike; --sheet --json gives numbers as numbers")
func sheetNumbersOneWay() throws {
    let root = try contentFolder(["big/n.yaml": """
    format: 1
    exercises:
      - id: big
        kind: number
        given:
          n: [12288]
        prompt: Twice `= n`?
        answer: 2 * n
        wrong:
          - answer: n
            feedback: Twice, not once.
        explain: Twice.

    """])
    defer { try? FileManager.default.removeItem(at: root) }
    let text = try CLI.run(["check", "--sheet", "exercises/big/n.yaml"], cwd: root)
    #expect(text.stdout.contains("    key: 24,576\n    wrong `n`: 12,288\n"), "\(text.stdout)")
    let json = try CLI.run(["check", "--sheet", "--json", "exercises/big/n.yaml"], cwd: root)
    let sheet = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first)
    let row = try #require((sheet["variants"] as? [[String: Any]])?.first)
    #expect(row["key"] as? Int == 24576)
    #expect((row["given"] as? [String: Any])?["n"] as? Int == 12288)
    #expect(((row["wrong"] as? [[String: Any]])?.first?["value"]) as? Int == 12288)
}

@Test("every problem of a checkpoint is reported at its own line, and a checkpoint in a list is warned about")
func checkpointProblems() throws {
    let root = try contentFolder(["a/one.yaml": exercise("known")])
    defer { try? FileManager.default.removeItem(at: root) }
    let lesson = """
    # Lesson

    ```checkpoint
    id: known
    seed: 99999999999
    colour: red
    ```

    - A list item.

      ```checkpoint
      id: known
      ```

    """
    try Data(lesson.utf8).write(to: root.appendingPathComponent("lessons/l.md"))
    let result = try CLI.run(["check", "lessons/l.md"], environment: ["MHALEARN_HOME": root.path], cwd: root)
    #expect(result.stderr.contains("lessons/l.md:5:1: error: `seed:` 99999999999 is out of range: a variant seed is at most 4294967295"), "\(result.stderr)")
    #expect(result.stderr.contains("lessons/l.md:6:1: error: a checkpoint has only `id:` and `seed:`; got `colour:`"), "\(result.stderr)")
    #expect(result.stderr.contains("lessons/l.md:11:1: warning: this checkpoint is inside a list item"), "\(result.stderr)")
}
