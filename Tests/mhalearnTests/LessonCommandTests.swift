import Foundation
import Testing

/// A small content folder of lessons for the CLI tests.
private let content = CLI.packageRoot.appendingPathComponent("Tests/MarkdownTerminalTests/Fixtures/Content").path

private func lines(_ text: String) -> [String] {
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
}

@Test("mhalearn lesson with no name lists every lesson with its title from the first heading")
func lessonListsLessons() throws {
    let result = try CLI.run(["lesson", "--content", content])
    #expect(result.status == 0)
    #expect(result.stdout.contains("basics"))
    #expect(result.stdout.contains("Attention basics"))
    #expect(result.stdout.contains("heads-and-layers"))
    #expect(result.stdout.contains("Heads and layers"))
    #expect(!result.stdout.contains("\u{1B}"))
}

@Test("an unknown lesson exits 64 and names the closest match and the list on stderr")
func unknownLessonSuggests() throws {
    let result = try CLI.run(["lesson", "basic", "--content", content])
    #expect(result.status == 64)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("no lesson named 'basic'"))
    #expect(result.stderr.contains("Did you mean 'basics'?"))
    #expect(result.stderr.contains("Heads and layers"))
}

@Test("a lesson renders without colour or pager when stdout is not a terminal, at 80 columns by default")
func lessonRendersPlainWhenPiped() throws {
    let result = try CLI.run(["lesson", "basics", "--content", content], environment: ["PAGER": "echo PAGER-RAN", "TERM": "xterm-256color"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("Attention basics\n════════════════\n"))
    #expect(!result.stdout.contains("PAGER-RAN"))
    #expect(!result.stdout.contains("\u{1B}"))
    #expect(!result.stdout.contains("A small lesson for the CLI tests"))
    #expect(lines(result.stdout).contains { $0.count > 60 })
    #expect(lines(result.stdout).allSatisfy { $0.count <= 80 })
}

@Test("--width wins over COLUMNS, and COLUMNS is used when there is no terminal")
func widthSources() throws {
    let fromColumns = try CLI.run(["lesson", "basics", "--content", content], environment: ["COLUMNS": "40"])
    #expect(lines(fromColumns.stdout).allSatisfy { $0.count <= 40 })
    #expect(lines(fromColumns.stdout).contains { $0.count > 35 })
    let fromOption = try CLI.run(["lesson", "basics", "--content", content, "--width", "30"], environment: ["COLUMNS": "40"])
    #expect(lines(fromOption.stdout).allSatisfy { $0.count <= 30 })
    let tooNarrow = try CLI.run(["lesson", "basics", "--content", content, "--width", "5"])
    #expect(tooNarrow.status == 64)
}

@Test("--color always colours even when piped, and --color never or NO_COLOR leave no escape byte")
func colourChoices() throws {
    let always = try CLI.run(["lesson", "basics", "--content", content, "--color", "always"], environment: ["NO_COLOR": "1"])
    #expect(always.stdout.contains("\u{1B}[1;35mAttention basics\u{1B}[0m"))
    #expect(!always.stdout.contains("\u{1B}]8;;"), "no hyperlinks when stdout is not a terminal")
    let never = try CLI.run(["lesson", "basics", "--content", content, "--color", "never"])
    #expect(!never.stdout.contains("\u{1B}"))
    let bad = try CLI.run(["lesson", "basics", "--content", content, "--color", "sometimes"])
    #expect(bad.status == 64)
}

@Test("a path to a Markdown file is rendered directly")
func lessonFromPath() throws {
    let file = CLI.packageRoot.appendingPathComponent("Tests/MarkdownTerminalTests/Fixtures/Everything.md").path
    let result = try CLI.run(["lesson", file, "--width", "40"], cwd: URL(fileURLWithPath: "/"))
    #expect(result.status == 0)
    let golden = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/MarkdownTerminalTests/Fixtures/Everything.w40.plain.txt"), encoding: .utf8)
    #expect(result.stdout == golden)
}

@Test("MHALEARN_HOME points at the content folder from any working directory")
func lessonFromHome() throws {
    let result = try CLI.run(["lesson", "heads-and-layers"], environment: ["MHALEARN_HOME": content], cwd: URL(fileURLWithPath: "/"))
    #expect(result.status == 0)
    #expect(result.stdout.contains("12 × 12 = 144"))
}

@Test("a content folder without lessons is a usage error with a clear message")
func badContentFolder() throws {
    let result = try CLI.run(["lesson", "--content", "/nonexistent-folder"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("no lessons/ or exercises/ folder"))
}

@Test("on a terminal, a lesson taller than the screen goes through $PAGER, a short one and --no-pager print directly")
func pagerOnTerminal() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-pager-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: log) }
    func onTerminal(_ extra: [String], lesson: String = "basics") throws -> String {
        let command = ([CLI.binary.path, "lesson", lesson, "--content", content] + extra).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "stty cols 60 rows 10; " + command, log.path]
        var env = ProcessInfo.processInfo.environment
        env["PAGER"] = "echo PAGER-RAN; wc -l"
        env["TERM"] = "xterm-256color"
        env["NO_COLOR"] = nil
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try String(contentsOf: log, encoding: .utf8)
    }
    let paged = try onTerminal([])
    #expect(paged.contains("PAGER-RAN"))
    let short = try onTerminal([], lesson: "heads-and-layers")
    #expect(!short.contains("PAGER-RAN"), "a lesson that fits on the screen is printed directly")
    #expect(short.contains("144"))
    let direct = try onTerminal(["--no-pager"])
    #expect(!direct.contains("PAGER-RAN"))
    #expect(direct.contains("\u{1B}[1;35mAttention basics"), "colour is on by default on a terminal")
    #expect(direct.contains("\u{1B}]8;;https://arxiv.org/abs/1706.03762"), "links are hyperlinks on a terminal without a pager")
}

/// A temporary content folder holding the given lessons, removed by the caller.
private func temporaryContent(_ lessons: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-lessons-\(UUID().uuidString)")
    let folder = root.appendingPathComponent("lessons")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in lessons {
        try text.write(to: folder.appendingPathComponent(name + ".md"), atomically: true, encoding: .utf8)
    }
    return root
}

@Test("escape sequences written in a lesson never reach the terminal, in the listing or the lesson")
func hostileLessonIsNeutralised() throws {
    let root = try temporaryContent([
        "evil": "# Evil \u{1B}]0;owned\u{07} title\n\nClipboard \u{1B}]52;c;cm0gLXJmIH4=\u{07} and \u{1B}[2J clear and \u{9B}31m C1.\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let listing = try CLI.run(["lesson", "--content", root.path])
    #expect(listing.status == 0)
    #expect(!listing.stdout.contains("\u{1B}") && !listing.stdout.contains("\u{07}"))
    #expect(listing.stdout.contains("Evil ␛]0;owned␇ title"))
    for color in ["never", "always"] {
        let result = try CLI.run(["lesson", "evil", "--content", root.path, "--color", color])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{07}"))
        #expect(!result.stdout.contains("\u{1B}]"))
        #expect(!result.stdout.contains("\u{1B}[2J"))
        #expect(!result.stdout.unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
        #expect(result.stdout.contains("␛[2J"))
    }
}

@Test("a lesson without a heading is listed under its file name, and NAME.md finds it too")
func lessonWithoutHeading() throws {
    let root = try temporaryContent(["plain": "Just a paragraph.\n"])
    defer { try? FileManager.default.removeItem(at: root) }
    let listing = try CLI.run(["lesson", "--content", root.path])
    #expect(listing.stdout.contains("  plain  plain\n"))
    let byFileName = try CLI.run(["lesson", "plain.md", "--content", root.path])
    #expect(byFileName.status == 0)
    #expect(byFileName.stdout == "Just a paragraph.\n")
}

@Test("the bundled lessons are found from any working directory and the lesson fits every width", arguments: [40, 80, 160])
func bundledLessonFromAnywhere(width: Int) throws {
    let root = URL(fileURLWithPath: "/")
    let listing = try CLI.run(["lesson"], cwd: root)
    #expect(listing.status == 0)
    #expect(listing.stdout.contains("multi-head"))
    let lesson = try CLI.run(["lesson", "multi-head", "--width", String(width)], cwd: root)
    #expect(lesson.status == 0)
    #expect(lesson.stderr.isEmpty)
    let rendered = lines(lesson.stdout)
    #expect(rendered.count > 100)
    #expect(rendered.allSatisfy { $0.count <= width && !$0.hasSuffix(" ") })
}
