import Foundation
import MarkdownTerminal
import Testing

/// `mhalearn progress --json` as an object.
func progressJSON(_ content: URL, _ env: [String: String]) throws -> [String: Any] {
    let result = try CLI.run(["progress", "--content", content.path, "--json"], environment: env)
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
}

@Test("progress shows the course map in detail after practice, and every figure as JSON")
func progressShowsMastery() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let empty = try CLI.run(["progress", "--content", content.path], environment: env)
    #expect(empty.status == 0)
    #expect(empty.stdout.contains("basics"))
    #expect(empty.stdout.contains("0 of 6 mastered"))
    #expect(empty.stdout.contains("Next: mhalearn practice"))
    _ = try CLI.run(["practice", "--content", content.path, "--seed", "3", "--count", "2"], stdin: "skip\nskip\n", environment: env)
    let table = try CLI.run(["progress", "--content", content.path], environment: env)
    #expect(table.stdout.contains("Exercises answered"))
    #expect(table.stdout.contains("learning  first try   0/1  due in 1 minute\n"))
    #expect(table.stdout.contains("streak 1 day, longest 1"))
    let object = try progressJSON(content, env)
    let sets = try #require(object["sets"] as? [[String: Any]])
    #expect(sets.first?["total"] as? Int == 6 && sets.first?["mastered"] as? Int == 0)
    let seen = (object["exercises"] as? [[String: Any]] ?? []).filter { ($0["seen"] as? Int) == 1 }
    #expect(seen.count == 2)
    #expect(seen.allSatisfy { $0["due"] as? String == "2026-12-01T09:01:00Z" }) // skipped: Again, FSRS's 1-minute learning step
    #expect(object["streak_days"] as? Int == 1)
    #expect(object["due_now"] as? Int == 0)
    let later = try progressJSON(content, ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:11:00Z"])
    #expect(later["due_now"] as? Int == 2)
    #expect(later["next"] as? String == "mhalearn practice")
}

@Test("progress --history lists past sessions, and names a stopped one to resume")
func progressHistory() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let none = try CLI.run(["progress", "--history", "--content", content.path], environment: env)
    #expect(none.stdout.contains("No practice sessions yet"))
    _ = try CLI.run(["practice", "--content", content.path, "--seed", "3", "--count", "3"], stdin: "skip\nquit\n", environment: env)
    let history = try CLI.run(["progress", "--history", "--width", "200", "--content", content.path], environment: env)
    #expect(history.stdout.contains("#1  2026-12-01 09:00:00  all topics: 1 of 3 answered, 0 at the first try, credit 0 (quit)"))
    #expect(history.stdout.contains("practice --resume"))
    let json = try CLI.run(["progress", "--history", "--json", "--content", content.path], environment: env)
    #expect(json.stdout.contains("\"ending\" : \"quit\""))
}

@Test("viewing progress creates nothing, not even the state folder")
func progressCreatesNothing() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let result = try CLI.run(["progress", "--content", content.path], environment: ["XDG_STATE_HOME": state.path])
    #expect(result.status == 0)
    #expect(!FileManager.default.fileExists(atPath: state.path))
    _ = try CLI.run(["progress", "--json", "--history", "--content", content.path], environment: ["XDG_STATE_HOME": state.path])
    #expect(!FileManager.default.fileExists(atPath: state.path))
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
    #expect(done.stdout.contains("1 exercise forgotten"))
    let object = try progressJSON(content, env)
    #expect((object["exercises"] as? [[String: Any]] ?? []).allSatisfy { $0["seen"] as? Int == 0 })
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

@Test("the course map fits --width")
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
