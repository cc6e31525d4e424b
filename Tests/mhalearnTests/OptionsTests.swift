import Foundation
import Testing

@Test("an unknown set in practice exits 64, suggests the closest set, and points to practice's own help")
func practiceUnknownSetSuggests() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let result = try CLI.run(["practice", "basic", "--content", content.path], environment: ["XDG_STATE_HOME": state.path])
    #expect(result.status == 64)
    #expect(result.stderr.contains("did you mean `basics`?"))
    #expect(result.stderr.contains("mhalearn practice --help"))
    #expect(!result.stderr.contains("mhalearn <subcommand>"))
}

@Test("a missing --answers file exits 64 with practice's help pointer, not the root usage")
func practiceMissingAnswersFile() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let result = try CLI.run(["practice", "--content", content.path, "--answers", "/nonexistent/answers.txt"], environment: ["XDG_STATE_HOME": state.path])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--answers /nonexistent/answers.txt: cannot open it"))
    #expect(!result.stderr.contains("mhalearn <subcommand>"))
}

@Test("progress for an unknown set suggests the closest one")
func progressUnknownSetSuggests() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let result = try CLI.run(["progress", "basicz", "--content", content.path], environment: ["XDG_STATE_HOME": state.path])
    #expect(result.status == 64)
    #expect(result.stderr.contains("did you mean `basics`?"))
}

@Test("a --content folder without lessons exits 64 with the reason and no root usage line")
func contentFolderMissing() throws {
    let result = try CLI.run(["lesson", "--content", "/nonexistent-content"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--content /nonexistent-content: no lessons/ or exercises/ folder there."))
    #expect(!result.stderr.contains("mhalearn <subcommand>"))
}

@Test("negative numbers are read as numbers and rejected by range, not reported as a missing value",
      arguments: [["shapes", "--d-model", "-768", "--heads", "12"], ["shapes", "--d-model", "768", "--heads", "-1"],
                  ["practice", "--count", "-1"], ["lesson", "multi-head", "--width", "-3"], ["check", "--seeds", "-2"]])
func negativeNumbers(arguments: [String]) throws {
    let result = try CLI.run(arguments)
    #expect(result.status == 64)
    #expect(!result.stderr.contains("Missing value"))
    #expect(result.stderr.contains("-1") || result.stderr.contains("-768") || result.stderr.contains("-3") || result.stderr.contains("-2"))
}

@Test("an unwritable state folder (XDG_STATE_HOME is a file) stops practice before any question, naming the file")
func practiceStateHomeIsAFile() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(at: state.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("not a folder".utf8).write(to: state)
    let result = try CLI.run(["practice", "--content", content.path], stdin: "quit\n", environment: ["XDG_STATE_HOME": state.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("\(state.path) is a file, not a folder"))
    #expect(!result.stdout.contains("Question 1"))
}

@Test("names and paths quoted in error messages cannot send escape sequences to the terminal",
      arguments: [["model", "\u{1B}]0;title\u{07}"], ["check", "/tmp/\u{1B}[2J.md"], ["practice", "\u{1B}[31m"], ["lesson", "\u{1B}[31m"]])
func errorMessagesAreSanitized(arguments: [String]) throws {
    let result = try CLI.run(arguments)
    #expect(result.status == 64)
    #expect(!result.stderr.contains("\u{1B}"))
    #expect(!result.stdout.contains("\u{1B}"))
}

@Test("a lesson whose expressions hold control characters is checked without echoing them raw")
func lessonDiagnosticsAreSanitized() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-escape-\(UUID().uuidString).md")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("# T\n\n`= \u{1B}]0;x\u{07} + 1`\n".utf8).write(to: file)
    for arguments in [["check", file.path], ["lesson", file.path, "--no-pager"]] {
        let result = try CLI.run(arguments)
        #expect(!result.stderr.contains("\u{1B}"), "\(arguments[0])")
        #expect(!result.stdout.contains("\u{1B}"), "\(arguments[0])")
    }
}
