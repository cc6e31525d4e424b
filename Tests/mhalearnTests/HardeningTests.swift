import Foundation
import Testing

extension CLI {
    /// Runs `script` with `/bin/sh -c`, `$MHALEARN` naming the built binary, so a test can use the
    /// shell's redirections (`>/dev/full`, `>&-`, `trap '' PIPE`).
    static func shell(_ script: String, environment: [String: String] = [:], closedStandardOutputPipe: Bool = false) throws -> Result {
        var env = environment
        env["MHALEARN"] = binary.path
        return try run(["-c", script], environment: env, executable: URL(fileURLWithPath: "/bin/sh"), closedStandardOutputPipe: closedStandardOutputPipe)
    }
}

@Suite("Writes that fail end with one line and a non-zero status")
struct WriteFailureTests {
    @Test("a lesson written to a full disk says so in one line and exits 74")
    func fullDiskLesson() throws {
        let result = try CLI.shell(#""$MHALEARN" lesson multi-head --no-pager >/dev/full"#)
        #expect(result.status == 74)
        #expect(result.stderr == "error: cannot write to standard output: No space left on device.\n")
    }

    @Test("check writing to a full disk fails instead of reporting success")
    func fullDiskCheck() throws {
        // One small file reaches the same write as the whole course, in a fraction of the time.
        let file = CLI.packageRoot.appendingPathComponent("Tests/ExercisesTests/Fixtures/valid.yaml").path
        let result = try CLI.shell(#""$MHALEARN" check "$F" >/dev/full"#, environment: ["F": file])
        #expect(result.status == 74)
        #expect(result.stderr.hasSuffix("error: cannot write to standard output: No space left on device.\n"))
    }

    @Test("a closed standard output is reported, not a trap")
    func closedStandardOutput() throws {
        let result = try CLI.shell(#""$MHALEARN" shapes --d-model 64 --heads 2 >&-"#)
        #expect(result.status == 74)
        #expect(result.stderr == "error: cannot write to standard output: Bad file descriptor.\n")
    }

    @Test("a closed standard error gives a non-zero status without a trap")
    func closedStandardError() throws {
        let result = try CLI.shell(#""$MHALEARN" lesson no-such-lesson 2>&-; echo "status $?""#)
        #expect(result.stdout == "status 74\n")
    }

    @Test("a reader that went away (SIGPIPE ignored) ends the process quietly with 141")
    func brokenPipe() throws {
        let result = try CLI.shell(#"trap '' PIPE; exec "$MHALEARN" lesson multi-head --no-pager"#, closedStandardOutputPipe: true)
        #expect(result.status == 141)
        #expect(result.stderr == "")
    }
}

@Suite("Answer lines are capped and read from any file")
struct AnswerInputTests {
    @Test("practice < /dev/zero stops with a message and status 1 instead of spinning")
    func devZero() throws {
        let (content, state) = try practiceSandbox()
        let result = try CLI.shell(#"timeout 60 "$MHALEARN" practice --content "$C" --seed 1 --count 1 </dev/zero"#,
                                   environment: ["C": content.path, "XDG_STATE_HOME": state.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: a line of standard input is longer than 64 KiB"))
    }

    @Test("--answers reads a FIFO, as <(…) gives")
    func fifoAnswers() throws {
        let (content, state) = try practiceSandbox()
        let fifo = state.appendingPathComponent("answers.fifo")
        let result = try CLI.shell(#"mkdir -p "$(dirname "$F")" && mkfifo "$F" && (printf 'skip\n' > "$F" &) && "$MHALEARN" practice --content "$C" --seed 1 --count 1 --answers "$F""#,
                                   environment: ["C": content.path, "F": fifo.path, "XDG_STATE_HOME": state.path])
        #expect(result.stderr == "")
        #expect(result.stdout.contains("Score: 0 of 1"))
    }

    @Test("--answers given a folder says it is a folder")
    func folderAnswers() throws {
        let (content, state) = try practiceSandbox()
        let result = try CLI.run(["practice", "--content", content.path, "--answers", state.path], environment: ["XDG_STATE_HOME": state.path])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: --answers \(state.path) is a folder; give a file with one answer a line."))
    }
}

/// A name holding OSC 52 (clipboard), BEL, a C1 CSI (U+009B) and "2J" (clear screen).
let hostileName = "e\u{1B}]52;c;aGk=\u{07}\u{9B}2J"

/// True when `text` holds a control a terminal would act on (ESC, BEL, C1).
func holdsTerminalControl(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || (0x80...0x9F).contains($0.value) }
}

@Suite("No escape from a name, path or argument reaches the terminal")
struct EscapeTests {
    @Test("the Progress file line shows a hostile state folder's controls as pictures")
    func progressFileLine() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").appendingPathComponent(hostileName)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let result = try CLI.run(["progress", "--color", "never"], environment: ["XDG_STATE_HOME": state.path])
        #expect(result.stdout.contains("Progress file:"))
        #expect(result.stdout.contains("␛]52;c;aGk=␇"))
        #expect(!holdsTerminalControl(result.stdout))
    }

    @Test("an argument-parser error quoting the argument shows its controls as pictures")
    func parserError() throws {
        let result = try CLI.run(["shapes", "--d-model", hostileName, "--heads", "2"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("e␛]52;c;aGk=␇"))
        #expect(!holdsTerminalControl(result.stderr))
    }

    @Test("a --model and MHALEARN_MODEL error shows the path's controls as pictures")
    func modelError() throws {
        let option = try CLI.run(["heads", "--model", "/nonexistent/" + hostileName])
        let environment = try CLI.run(["heads"], environment: ["MHALEARN_MODEL": "/nonexistent/" + hostileName])
        for result in [option, environment] {
            #expect(result.status != 0)
            #expect(result.stderr.contains("␛]52"))
            #expect(!holdsTerminalControl(result.stderr))
        }
    }
}

@Suite("A failing pager falls back to printing; COLUMNS and --width agree")
struct PagerTests {
    @Test("PAGER=false on a terminal still shows the lesson and says why once on stderr", arguments: ["false", #"sh -c "exit 1"#])
    func failingPager(pager: String) throws {
        let result = try CLI.shell(#"script -qec "$MHALEARN lesson multi-head --color never" /dev/null"#,
                                   environment: ["PAGER": pager, "TERM": "xterm", "LINES": "24", "COLUMNS": "80"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Multi-head attention"))
        let warnings = result.stdout.components(separatedBy: "warning: the pager `\(pager)` exited with status")
        #expect(warnings.count == 2)
    }

    @Test("COLUMNS=1 is refused as --width 1 is, with the same bounds")
    func columnsOne() throws {
        let columns = try CLI.run(["lesson", "multi-head"], environment: ["COLUMNS": "1"])
        let width = try CLI.run(["lesson", "multi-head", "--width", "1"])
        #expect(columns.status == 64)
        #expect(width.status == 64)
        #expect(columns.stderr.contains("COLUMNS must be between 20 and 1000, as --width must; got 1."))
        #expect(width.stderr.contains("--width must be between 20 and 1000 columns; got 1."))
    }

    @Test("heads --layer --head keeps every line, the legend included, within --width")
    func heatmapLegendWidth() throws {
        let result = try CLI.run(["heads", "--layer", "1", "--head", "1", "--width", "40", "--color", "never"])
        try #require(result.status == 0)
        let legend = result.stdout.components(separatedBy: "\n").filter { $0.contains("Legend") || $0.contains("75 and over") }
        #expect(!legend.isEmpty)
        for line in legend { #expect(line.count <= 40, "\(line)") }
    }
}

@Suite("heads on the learner's own sentence")
struct HeadsAnySentenceTests {
    @Test("a sentence without \"it\" shows its last word and says so in one line")
    func noIt() throws {
        let result = try CLI.run(["heads", "the cat sat on the mat", "--color", "never"])
        #expect(result.status == 0)
        #expect(result.stderr == "note: showing \"mat\" (token 7): the sentence has no \"it\", so its last word is shown; choose another with --token WORD or --token NUMBER.\n")
        #expect(result.stdout.contains("From \"mat\" (token 7)"))
    }

    @Test("--json needs no token and prints no note")
    func jsonNeedsNoToken() throws {
        let result = try CLI.run(["heads", "the cat sat on the mat", "--json"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.contains(#""tokens": ["[CLS]", "the", "cat", "sat", "on", "the", "mat", "[SEP]"]"#))
    }

    @Test("a token number from the error's list is accepted, counting from 1 as the list does")
    func tokenByNumber() throws {
        let wrong = try CLI.run(["heads", "the cat sat on the mat", "--token", "dog"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("1:[CLS] 2:the 3:cat 4:sat 5:on 6:the 7:mat 8:[SEP]"))
        let byNumber = try CLI.run(["heads", "the cat sat on the mat", "--token", "7", "--color", "never"])
        #expect(byNumber.status == 0)
        #expect(byNumber.stdout.contains("From \"mat\" (token 7)"))
    }

    @Test("WORD#0 says occurrences count from 1")
    func occurrenceZero() throws {
        let result = try CLI.run(["heads", "--token", "it#0"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: occurrences count from 1: it#1 is the first \"it\"."))
    }
}

@Suite("One memory budget for the process")
struct MemoryBudgetCLITests {
    @Test("a lesson's kept runs add up against the budget: the run past it is an error in place, not an abort")
    func lessonRunsAddUp() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocks = (0..<3).map { "```mha\nr\($0) = mha(d_model: 256, heads: 1, tokens: \(1000 + $0))\nexpect r\($0).output.shape == [\(1000 + $0), 256]\n```\n" }
        let lesson = folder.appendingPathComponent("big.md")
        try ("# Big\n\n" + blocks.joined(separator: "\n")).write(to: lesson, atomically: true, encoding: .utf8)
        let result = try CLI.run(["check", lesson.path], environment: ["MHALEARN_MEMORY_BUDGET": "64M"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("big.md:15:"))
        #expect(result.stderr.contains("of the process's 64 MiB memory budget is left"))
        #expect(result.stdout.contains("2 of 3 claims proved"))
    }

    @Test("shapes does not allocate a recorded run larger than what is left of the budget: it takes the blocked pass")
    func shapesWithinBudget() throws {
        let result = try CLI.run(["shapes", "--d-model", "64", "--heads", "8", "--tokens", "1200"], environment: ["MHALEARN_MEMORY_BUDGET": "64M"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("would need about 91.2 MiB"))
        #expect(result.stderr.contains("running the blocked forward pass instead"))
    }
}

@Suite("Messages that say what the file is")
struct MisleadingMessageTests {
    @Test("a folder, /dev/zero or a symbolic link loop given as a lesson is named for what it is, exit 1")
    func lessonPaths() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("notes.md"), withIntermediateDirectories: true)
        let loop1 = folder.appendingPathComponent("loop1.md"), loop2 = folder.appendingPathComponent("loop2.md")
        try FileManager.default.createSymbolicLink(atPath: loop1.path, withDestinationPath: loop2.path)
        try FileManager.default.createSymbolicLink(atPath: loop2.path, withDestinationPath: loop1.path)
        let cases = [(folder.appendingPathComponent("notes.md").path, "is a folder, not a file."),
                     ("/dev/zero", "is not a regular file (a FIFO, socket or device such as /dev/zero); give a file."),
                     (loop1.path, "is a symbolic link loop")]
        for (path, message) in cases {
            let result = try CLI.run(["lesson", path, "--no-pager"])
            #expect(result.status == 1, "\(path)")
            #expect(result.stderr.hasPrefix("error: \(path): \(message)"), "\(result.stderr)")
        }
    }
}

@Suite("Rendering")
struct RenderingTests {
    @Test("model --list on a terminal goes through the pager, as a lesson does")
    func modelListPaged() throws {
        let result = try CLI.shell(#"script -qec "$MHALEARN model --list --color never" /dev/null"#,
                                   environment: ["PAGER": "head -3", "TERM": "xterm", "LINES": "24", "COLUMNS": "100"])
        let lines = result.stdout.split(whereSeparator: \.isNewline)
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("id") == true)
    }

    @Test("the heatmap says its numbers are rounded, so a row adding to 99 or 101 is explained")
    func roundingSaid() throws {
        let result = try CLI.run(["heads", "--layer", "1", "--head", "1", "--color", "never"])
        #expect(result.stdout.replacingOccurrences(of: "\n", with: " ").contains("rounded (each row sums to 100 before rounding)"))
    }
}

@Test("lesson lists only lessons it can read: a symbolic link loop in lessons/ is left out, as check leaves it out")
func lessonListSkipsLinkLoops() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("content-\(UUID().uuidString)")
    let lessons = root.appendingPathComponent("lessons")
    try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("exercises"), withIntermediateDirectories: true)
    try "# Real\n\nText.\n".write(to: lessons.appendingPathComponent("real.md"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: lessons.appendingPathComponent("loop.md").path, withDestinationPath: lessons.appendingPathComponent("loop.md").path)
    let list = try CLI.run(["lesson", "--content", root.path])
    #expect(list.stdout.contains("real"))
    #expect(!list.stdout.contains("loop"))
    let one = try CLI.run(["lesson", "real", "--content", root.path, "--no-pager", "--color", "never"])
    #expect(one.status == 0)
    #expect(one.stdout.hasPrefix("Real"))
}

@Test("model given a symbolic link loop, /dev/zero or a folder named config.json says what it is")
func modelPathsNamed() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("model-paths-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("m/config.json"), withIntermediateDirectories: true)
    let loop = folder.appendingPathComponent("loop1")
    try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: loop.path)
    let loopResult = try CLI.run(["model", loop.path])
    #expect(loopResult.status == 64)
    #expect(loopResult.stderr.contains("is a symbolic link loop"))
    let zero = try CLI.run(["model", "/dev/zero"])
    #expect(zero.status == 1)
    #expect(zero.stderr.contains("is not a regular file"))
    let inner = try CLI.run(["model", folder.appendingPathComponent("m").path])
    #expect(inner.status == 1)
    #expect(inner.stderr.contains("config.json: error: is a folder, not a file"))
}
