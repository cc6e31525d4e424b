import Foundation
import Testing

/// A fresh empty folder for `new` to write into.
private func emptyFolder() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-new-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    return root
}

@Test("new exercise writes a commented template of each kind that passes check as written")
func newExerciseTemplatesPass() throws {
    let root = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    for kind in ["number", "shape", "choice", "multi", "text"] {
        let made = try CLI.run(["new", "exercise", "--set", "demo", "--kind", kind, "first-\(kind)"], cwd: root)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "Wrote exercises/demo/first-\(kind).yaml. Next: edit it, then run `mhalearn check --watch exercises/demo/first-\(kind).yaml`.\n")
        let text = try String(contentsOf: root.appendingPathComponent("exercises/demo/first-\(kind).yaml"), encoding: .utf8)
        #expect(text.hasPrefix("# "))
        #expect(text.contains("kind: \(kind)"))
    }
    let checked = try CLI.run(["check", "exercises"], cwd: root)
    #expect(checked.status == 0, "\(checked.stderr)")
    #expect(checked.stderr.isEmpty)
    #expect(checked.stdout.hasSuffix("5 exercises in 5 files proved over all 75 variants.\n"), "\(checked.stdout)")
}

@Test("new lesson writes a lesson whose claims check proves; an existing file is never overwritten")
func newLessonPassesAndNeverOverwrites() throws {
    let root = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(try CLI.run(["new", "lesson", "grouped-queries"], cwd: root).status == 0)
    let checked = try CLI.run(["check", "lessons/grouped-queries.md"], cwd: root)
    #expect(checked.status == 0, "\(checked.stderr)")
    #expect(checked.stdout == "2 claims proved in 1 lesson.\n")
    let file = root.appendingPathComponent("lessons/grouped-queries.md")
    try Data("# Mine\n".utf8).write(to: file)
    let again = try CLI.run(["new", "lesson", "grouped-queries"], cwd: root)
    #expect(again.status == 64)
    #expect(again.stderr.contains("already exists; choose another name (nothing was written)"))
    #expect(try String(contentsOf: file, encoding: .utf8) == "# Mine\n")
}

@Test("new writes under MHALEARN_HOME when set, and rejects a bad id or kind with the rule")
func newTargetsAndValidation() throws {
    let root = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let made = try CLI.run(["new", "exercise", "--set", "demo", "head-width"], environment: ["MHALEARN_HOME": root.path],
                           cwd: FileManager.default.temporaryDirectory)
    #expect(made.status == 0, "\(made.stderr)")
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("exercises/demo/head-width.yaml").path))
    let badID = try CLI.run(["new", "exercise", "--set", "demo", "Head_Width"], cwd: root)
    #expect(badID.status == 64)
    #expect(badID.stderr.contains("must be lowercase letters, digits and single dashes"))
    let badKind = try CLI.run(["new", "exercise", "--set", "demo", "--kind", "numbr", "x"], cwd: root)
    #expect(badKind.status == 64)
    #expect(badKind.stderr.contains("choose number, shape, choice, multi or text"))
}
