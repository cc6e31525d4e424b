import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The questions and keys a session with these arguments poses, read from a throw-away state folder.
func probeQuestions(_ arguments: [String], content: URL, answers: Int) throws -> [(id: String, kind: String, seed: Int, expected: String)] {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-probe-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    let run = try CLI.run(arguments + ["--content", content.path, "--json"], stdin: String(repeating: "skip\n", count: answers),
                          environment: ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"])
    let objects = jsonObjects(run.stdout)
    let kinds = Dictionary(objects.filter { $0["type"] as? String == "question" }.map { ($0["id"] as? String ?? "", $0["kind"] as? String ?? "") },
                           uniquingKeysWith: { first, _ in first })
    return objects.filter { $0["type"] as? String == "result" }.map {
        let id = $0["id"] as? String ?? ""
        return (id, kinds[id] ?? "", $0["seed"] as? Int ?? -1, $0["expected"] as? String ?? "")
    }
}

/// A readable answer that is not `expected`, for a question of `kind`.
func wrongAnswer(kind: String, expected: String) -> String {
    switch kind {
    case "number": return expected == "1" ? "2" : "1"
    case "shape": return "[1, 1, 1, 1, 1]"
    case "choice": return expected == "a" ? "b" : "a"
    case "multi": return expected == "a" ? "b" : "a"
    default: return "nothing of the sort"
    }
}

@Test("practice --json through a wrong-then-right answer, a hint and a first-try success; progress --json reports each")
func wrongHintFirstTry() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let arguments = ["practice", "--seed", "11", "--count", "3"]
    let questions = try probeQuestions(arguments, content: content, answers: 3)
    try #require(questions.count == 3)
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let input = [wrongAnswer(kind: questions[0].kind, expected: questions[0].expected), questions[0].expected,
                 "?", questions[1].expected, questions[2].expected].joined(separator: "\n") + "\n"
    let run = try CLI.run(arguments + ["--content", content.path, "--json"], stdin: input, environment: env)
    let results = jsonObjects(run.stdout).filter { $0["type"] as? String == "result" }
    #expect(results.map { $0["id"] as? String } == questions.map(\.id))
    #expect(results.map { $0["grade"] as? String } == ["correct", "correct", "correct"])
    #expect(results.map { $0["credit"] as? Double } == [0.5, 0.5, 1])
    #expect(results.map { $0["first_try"] as? Bool } == [false, false, true])
    #expect(results.map { $0["hints_used"] as? Int } == [0, 1, 0])
    let summary = try #require(jsonObjects(run.stdout).last)
    #expect(summary["score"] as? Double == 2 && summary["first_try"] as? Int == 1)

    let object = try progressJSON(content, env)
    let exercises = Dictionary((object["exercises"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    let records = questions.map { exercises[$0.id] ?? [:] }
    #expect(records.map { $0["mastered"] as? Bool } == [false, false, true])
    #expect(records.map { $0["seen"] as? Int } == [1, 1, 1])
    #expect(records.map { $0["first_try_correct"] as? Int } == [0, 0, 1])
    #expect(records.map { $0["attempts"] as? Int } == [2, 1, 1])
    // FSRS learning steps: Hard (a retry, a hint) at the first step comes back after 5.5 minutes, Good after 10.
    #expect(records.map { $0["due"] as? String } == ["2026-12-01T09:05:30Z", "2026-12-01T09:05:30Z", "2026-12-01T09:10:00Z"])
    #expect(records.allSatisfy { $0["set"] as? String == "basics" && $0["tags"] is [String] })
    let topics = try #require(object["topics"] as? [[String: Any]])
    #expect(topics.reduce(0) { $0 + ($1["mastered"] as? Int ?? 0) } == 1)
    #expect(topics.reduce(0) { $0 + ($1["total"] as? Int ?? 0) } == 6)
    #expect(object["due_now"] as? Int == 0)
    #expect(object["streak_days"] as? Int == 1)
    #expect(object["next"] as? String == "mhalearn practice")
    #expect(exercises.values.filter { $0["seen"] as? Int == 0 }.allSatisfy { $0["due"] is NSNull })
}

@Test("with MHALEARN_NOW moved forward a mastered exercise becomes due and is posed first")
func masteredBecomesDueCLI() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let question = try #require(try probeQuestions(["practice", "--id", "scale-factor", "--seed", "5"], content: content, answers: 1).first)
    let today = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let first = try CLI.run(["practice", "--id", "scale-factor", "--seed", "5", "--content", content.path, "--json"], stdin: question.expected + "\n", environment: today)
    #expect(jsonObjects(first.stdout).first { $0["type"] as? String == "result" }?["first_try"] as? Bool == true)
    for seed in ["1", "2", "3"] {
        let sameDay = try CLI.run(["practice", "--seed", seed, "--count", "6", "--content", content.path, "--json"], environment: today)
        #expect(!jsonObjects(sameDay.stdout).contains { $0["id"] as? String == "scale-factor" })
    }
    let later = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-03T09:00:00Z"]
    let review = try CLI.run(["practice", "--seed", "1", "--count", "3", "--content", content.path, "--json"], environment: later)
    #expect(jsonObjects(review.stdout).first?["id"] as? String == "scale-factor")
    let bad = try CLI.run(["practice", "--content", content.path], environment: ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "soon"])
    #expect(bad.status == 64 && bad.stderr.contains("ISO 8601"))
}

@Test("practice --id ID --seed N poses that exact variant, the one --json reported")
func practiceByID() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let session = try probeQuestions(["practice", "--seed", "4", "--count", "2"], content: content, answers: 2)
    let target = try #require(session.first)
    let again = try #require(try probeQuestions(["practice", "--id", target.id, "--seed", "\(target.seed)"], content: content, answers: 1).first)
    #expect(again.id == target.id && again.seed == target.seed && again.expected == target.expected)
    let unknown = try CLI.run(["practice", "--id", "scale-facter", "--content", content.path], environment: ["XDG_STATE_HOME": state.path])
    #expect(unknown.status == 64 && unknown.stderr.contains("did you mean `scale-factor`?"))
}

@Test("practice TOPIC takes a tag as well as a set, and --list names both with counts")
func practiceTopicAndList() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    let topic = try CLI.run(["practice", "dimensions", "--content", content.path, "--json"], stdin: "skip\n", environment: env)
    let ids = jsonObjects(topic.stdout).filter { $0["type"] as? String == "question" }.compactMap { $0["id"] as? String }
    #expect(ids == ["dk-from-d-model"])
    let list = try CLI.run(["practice", "--list", "--content", content.path], environment: env)
    #expect(list.stdout.contains("basics"))
    #expect(list.stdout.contains("6 exercises, 0 mastered"))
    #expect(list.stdout.contains("dimensions"))
    #expect(list.stdout.contains("1 exercise, 0 mastered"))
}

@Test("a session stopped with quit resumes where it stopped, and then there is nothing left to resume")
func practiceResume() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let planned = try probeQuestions(["practice", "--seed", "9", "--count", "3"], content: content, answers: 3)
    _ = try CLI.run(["practice", "--seed", "9", "--count", "3", "--content", content.path], stdin: "skip\nquit\n", environment: env)
    let resumed = try CLI.run(["practice", "--resume", "--content", content.path, "--json"], stdin: "skip\nskip\n", environment: env)
    let posed = jsonObjects(resumed.stdout).filter { $0["type"] as? String == "question" }
    #expect(posed.map { $0["id"] as? String } == planned.dropFirst().map(\.id))
    #expect(posed.map { $0["seed"] as? Int } == planned.dropFirst().map(\.seed))
    let nothing = try CLI.run(["practice", "--resume", "--content", content.path], environment: env)
    #expect(nothing.status == 1 && nothing.stderr.contains("no unfinished session"))
}

@Test("once everything is mastered and nothing is due, practice says so and poses nothing")
func practiceNothingDue() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let questions = try probeQuestions(["practice", "--seed", "2", "--count", "6"], content: content, answers: 6)
    let run = try CLI.run(["practice", "--seed", "2", "--count", "6", "--content", content.path],
                          stdin: questions.map(\.expected).joined(separator: "\n") + "\n", environment: env)
    #expect(run.status == 0)
    let next = try CLI.run(["practice", "--content", content.path], environment: env)
    #expect(next.status == 0)
    #expect(next.stdout.contains("every exercise is mastered and the next review is due in 10 minutes"))
}

@Test("mhalearn alone at a terminal shows the course map and what to do next; piped, it shows help")
func bareCourseMap() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-map-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    let env = ["XDG_STATE_HOME": state.path, "NO_COLOR": "1"]
    guard let map = try runOnTerminal([], input: "", environment: env) else { return }
    #expect(map.contains("Your course"))
    #expect(map.contains("multi-head"))
    #expect(map.contains("Next: mhalearn lesson attention"))
    #expect(!FileManager.default.fileExists(atPath: state.path))
    let piped = try CLI.run([], environment: env)
    #expect(piped.stdout.contains("USAGE") || piped.stdout.contains("SUBCOMMANDS"))
}

/// A content folder with a course of two lessons (`intro` with a checkpoint, then `next`), the fixture set, and a state folder.
func courseSandbox() throws -> (content: URL, state: URL) {
    let (content, state) = try practiceSandbox()
    let lessons = content.appendingPathComponent("lessons")
    try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
    try "# Intro\n\nHeads split the width.\n\n```checkpoint\nid: scale-factor\nseed: 3\n```\n\nThat is all.\n"
        .write(to: lessons.appendingPathComponent("intro.md"), atomically: true, encoding: .utf8)
    try "# Next\n\nMore.\n".write(to: lessons.appendingPathComponent("next.md"), atomically: true, encoding: .utf8)
    try "lessons:\n  - next\n  - intro\n".write(to: lessons.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
    return (content, state)
}

@Test("lessons follow course.yaml; showing one records it as read; a checkpoint is a Try it line")
func lessonReadAndOrdered() throws {
    let (content, state) = try courseSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let listing = try CLI.run(["lesson", "--content", content.path], environment: env)
    let next = try #require(listing.stdout.range(of: "next")), intro = try #require(listing.stdout.range(of: "intro"))
    #expect(next.lowerBound < intro.lowerBound)
    #expect(try progressJSON(content, env)["next"] as? String == "mhalearn lesson next")
    let shown = try CLI.run(["lesson", "intro", "--content", content.path], environment: env)
    #expect(shown.stdout.contains("Try it:"))
    #expect(shown.stdout.contains("mhalearn practice --id scale-factor --seed 3"))
    let lessons = try #require(try progressJSON(content, env)["lessons"] as? [[String: Any]])
    #expect(lessons.map { $0["name"] as? String } == ["next", "intro"])
    #expect(lessons.map { $0["read"] as? Bool } == [false, true])
}

@Test("lesson --interactive asks each checkpoint as practice does, records it, and then records the lesson as read")
func lessonInteractive() throws {
    let (content, state) = try courseSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let question = try #require(try probeQuestions(["practice", "--id", "scale-factor", "--seed", "3"], content: content, answers: 1).first)
    let stopped = try CLI.run(["lesson", "intro", "--interactive", "--content", content.path], stdin: "quit\n", environment: env)
    #expect(stopped.stdout.contains("Heads split the width."))
    #expect(stopped.stdout.contains("not recorded as read"))
    #expect(!stopped.stdout.contains("That is all."))
    let run = try CLI.run(["lesson", "intro", "--interactive", "--content", content.path], stdin: question.expected + "\n", environment: env)
    #expect(run.status == 0)
    #expect(run.stdout.contains("Checkpoint 1 of 1"))
    #expect(run.stdout.contains("✓"))
    #expect(run.stdout.contains("That is all."))
    let object = try progressJSON(content, env)
    let exercise = (object["exercises"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "scale-factor" }
    #expect(exercise?["mastered"] as? Bool == true)
    #expect((object["lessons"] as? [[String: Any]])?.last?["read"] as? Bool == true)
}

@Test("check proves every checkpoint names an exercise, and reports course.yaml lessons that are missing or unlisted")
func checkCheckpointsAndCourse() throws {
    let (content, _) = try courseSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let lessons = content.appendingPathComponent("lessons")
    try "# Bad\n\n```checkpoint\nid: scale-facter\n```\n".write(to: lessons.appendingPathComponent("bad.md"), atomically: true, encoding: .utf8)
    try "lessons:\n  - next\n  - intro\n  - later\n".write(to: lessons.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
    let result = try CLI.run(["check", "--content", content.path, "--seeds", "2"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("lessons/bad.md:4:1: error: checkpoint names exercise `scale-facter`, which is not in the exercise bank; did you mean `scale-factor`?"))
    #expect(result.stderr.contains("warning: lists `later`, but there is no lessons/later.md"))
    #expect(result.stderr.contains("warning: does not list lessons/bad.md"))
}

@Test("a session killed with SIGKILL loses no finished question, and the next session runs")
func practiceKilled() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["practice", "--content", content.path, "--seed", "4", "--count", "3", "--json"]
    process.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data("skip\n".utf8))
    var buffer = ""
    let deadline = Date().addingTimeInterval(20)
    while !buffer.contains("\"number\":2"), Date() < deadline {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        buffer += String(decoding: chunk, as: UTF8.self)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? input.fileHandleForWriting.close()
    #expect(buffer.contains("\"number\":2"))
    let object = try progressJSON(content, env)
    #expect((object["exercises"] as? [[String: Any]] ?? []).filter { ($0["seen"] as? Int ?? 0) > 0 }.count == 1)
    let next = try CLI.run(["practice", "--content", content.path, "--count", "1"], stdin: "skip\n", environment: env)
    #expect(next.stdout.contains("Question 1 of 1"))
    #expect(!next.stderr.contains("damaged"))
}

@Test("the course map fits a terminal of 80 × 24, lesson by lesson, with the streak and a daily nudge")
func courseMapFitsTerminal() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-map-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    var env = ["XDG_STATE_HOME": state.path, "NO_COLOR": "1", "MHALEARN_NOW": "2026-12-01T09:00:00Z"]
    _ = try CLI.run(["lesson", "attention"], environment: env)
    _ = try CLI.run(["practice", "--seed", "5", "--count", "4"], stdin: "skip\nskip\nskip\nskip\n", environment: env)
    env["MHALEARN_NOW"] = "2026-12-01T10:00:00Z"
    env["COLUMNS"] = "80"
    env["LINES"] = "24"
    env["PAGER"] = "cat"
    guard let map = try runOnTerminal([], input: "", environment: env) else { return }
    let text = map.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .newlines)
    let shown = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(shown.count <= 24, "\(shown.count) lines:\n\(text)")
    #expect(shown.allSatisfy { $0.count <= 80 }, "\(text)")
    #expect(text.contains("streak 1 day, longest 1"))
    #expect(text.contains("✓ attention") && text.contains("· multi-head") && text.contains("· kv-cache"))
    #expect(text.contains("Reviews  4 due now"))
    #expect(text.contains("Today    4 reviews due"))
}

@Test("the root help and the map of a new learner name the same first lesson: the course's first")
func rootHelpAndMapAgree() throws {
    let course = try String(contentsOf: CLI.packageRoot.appendingPathComponent("lessons/course.yaml"), encoding: .utf8)
    let first = try #require(course.split(separator: "\n").first { $0.hasPrefix("  - ") }).dropFirst(4)
    let help = try CLI.run(["--help"])
    #expect(help.stdout.contains("Start with `mhalearn lesson \(first)`"))
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-map-\(UUID().uuidString)")
    let map = try CLI.run(["progress"], environment: ["XDG_STATE_HOME": state.path, "NO_COLOR": "1"])
    #expect(map.stdout.contains("Next: mhalearn lesson \(first)"))
}

@Test("practice --resume numbers on from where the session stopped and sums up the whole session")
func resumeNumbering() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z", "NO_COLOR": "1"]
    let first = try CLI.run(["practice", "--content", content.path, "--seed", "4", "--count", "4"], stdin: "skip\nquit\n", environment: env)
    #expect(first.stdout.contains("Question 1 of 4") && first.stdout.contains("Question 2 of 4"))
    let resumed = try CLI.run(["practice", "--resume", "--content", content.path], stdin: "skip\nskip\nskip\n", environment: env)
    #expect(resumed.stdout.contains("Question 2 of 4") && resumed.stdout.contains("Question 4 of 4"))
    #expect(!resumed.stdout.contains("Question 1 of 3"))
    #expect(resumed.stdout.contains("Whole session #1: 4 of 4 answered, 0 right at the first try, credit 0."))
    let json = try CLI.run(["progress", "--history", "--json"], environment: env)
    #expect(json.stdout.contains("\"answered\" : 4"))
}

@Test("lesson --interactive waits for Enter after a checkpoint's feedback, keeps one counter, and ends with a summary")
func lessonInteractivePause() throws {
    let (content, state) = try courseSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path, "MHALEARN_NOW": "2026-12-01T09:00:00Z", "NO_COLOR": "1"]
    let question = try #require(try probeQuestions(["practice", "--id", "scale-factor", "--seed", "3"], content: content, answers: 1).first)
    let run = try CLI.run(["lesson", "intro", "--interactive", "--content", content.path], stdin: "1\n" + question.expected + "\n\n", environment: env)
    #expect(run.status == 0)
    let out = run.stdout
    #expect(out.contains("Checkpoint 1 of 1") && !out.contains("Question 1 of 1"))
    let pause = try #require(out.range(of: "Press Enter for the next section."))
    let rest = try #require(out.range(of: "That is all."))
    #expect(pause.upperBound <= rest.lowerBound, "the next section waits for Enter")
    let explained = try #require(out.range(of: "✓"))
    #expect(explained.upperBound <= pause.lowerBound, "the feedback comes before the pause")
    #expect(out.replacingOccurrences(of: "\n  ", with: " ").contains("Checkpoints: 0 of 1 right at the first try. Practise next: `mhalearn practice --id scale-factor`."))
}
