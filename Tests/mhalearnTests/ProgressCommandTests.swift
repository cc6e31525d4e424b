import Foundation
import MarkdownTerminal
import Testing

@Test("progress shows per-set mastery after practice, as a table and as JSON")
func progressShowsMastery() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    let empty = try CLI.run(["progress", "--content", content.path], environment: env)
    #expect(empty.status == 0)
    #expect(empty.stdout.contains("basics"))
    #expect(empty.stdout.contains("0 (0%)"))
    _ = try CLI.run(["practice", "--content", content.path, "--seed", "3", "--count", "2"], stdin: "skip\nskip\n", environment: env)
    let table = try CLI.run(["progress", "--content", content.path], environment: env)
    #expect(table.stdout.contains("practice --review"))
    let json = try CLI.run(["progress", "--content", content.path, "--json"], environment: env)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let sets = try #require(object["sets"] as? [[String: Any]])
    #expect(sets.first?["answered"] as? Int == 2)
    #expect(sets.first?["due_for_review"] as? Int == 2)
}

@Test("reset refuses without a terminal unless --yes, then forgets the set")
func progressResetNeedsConfirmation() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    _ = try CLI.run(["practice", "--content", content.path, "--seed", "3", "--count", "1"], stdin: "skip\n", environment: env)
    let refused = try CLI.run(["progress", "--reset", "basics", "--content", content.path], environment: env)
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("--yes"))
    let done = try CLI.run(["progress", "--reset", "basics", "--yes", "--content", content.path], environment: env)
    #expect(done.status == 0)
    #expect(done.stdout.contains("1 record removed"))
    let json = try CLI.run(["progress", "--content", content.path, "--json"], environment: env)
    #expect(json.stdout.contains("\"answered\" : 0"))
}

@Test("reset of a misspelt set exits 64 with the closest set, and reset with nothing recorded says so without asking")
func progressResetUnknownOrEmptySet() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    let misspelt = try CLI.run(["progress", "--reset", "basic", "--yes", "--content", content.path], environment: env)
    #expect(misspelt.status == 64)
    #expect(misspelt.stderr.contains("did you mean `basics`?"))
    #expect(!misspelt.stdout.contains("Forgot"))
    let empty = try CLI.run(["progress", "--reset", "basics", "--content", content.path], environment: env)
    #expect(empty.status == 0)
    #expect(empty.stdout.contains("There is no progress to forget in set `basics`"))
    #expect(!empty.stderr.contains("confirmation"))
}

@Test("the progress table fits --width")
func progressFitsWidth() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    _ = try CLI.run(["practice", "--content", content.path, "--seed", "3", "--count", "1"], stdin: "skip\n", environment: env)
    let result = try CLI.run(["progress", "--content", content.path, "--width", "24"], environment: env)
    #expect(result.status == 0)
    #expect(result.stdout.contains("basics"))
    #expect(result.stdout.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 24 })
}
