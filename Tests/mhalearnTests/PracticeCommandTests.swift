import AttentionCore
import Foundation
import Testing
import Support
#if canImport(Glibc)
import Glibc
#endif

/// A content folder holding one set built from the Exercises test fixture, and an empty state folder.
func practiceSandbox() throws -> (content: URL, state: URL) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-practice-\(UUID().uuidString)")
    let set = root.appendingPathComponent("content/exercises/basics")
    try FileManager.default.createDirectory(at: set, withIntermediateDirectories: true)
    let fixture = CLI.packageRoot.appendingPathComponent("Tests/ExercisesTests/Fixtures/valid.yaml")
    try FileManager.default.copyItem(at: fixture, to: set.appendingPathComponent("basics.yaml"))
    return (root.appendingPathComponent("content"), root.appendingPathComponent("state"))
}

func jsonObjects(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
}

@Test("the same seed poses the same questions, and answers from stdin are graded")
func practiceSameSeed() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    let first = try CLI.run(["practice", "--content", content.path, "--seed", "5", "--count", "4", "--json"], stdin: "", environment: env)
    let second = try CLI.run(["practice", "--content", content.path, "--seed", "5", "--count", "4", "--json"], stdin: "", environment: env)
    let firstIDs = jsonObjects(first.stdout).filter { $0["type"] as? String == "question" }.map { $0["id"] as? String }
    #expect(firstIDs.count == 1)
    #expect(first.stdout == second.stdout)
    #expect(first.status == 0)
}

@Test("a script can drive practice with --json: it reads each question and answers it")
func practiceDrivenByScript() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    let probeEnv = ["XDG_STATE_HOME": state.path + "-probe"]
    defer { try? FileManager.default.removeItem(atPath: state.path + "-probe") }
    let probe = try CLI.run(["practice", "basics", "--content", content.path, "--seed", "8", "--count", "6", "--json"], stdin: "skip\nskip\nskip\nskip\nskip\nskip\n", environment: probeEnv)
    let expected = jsonObjects(probe.stdout).filter { $0["type"] as? String == "result" }.compactMap { $0["expected"] as? String }
    #expect(expected.count == 6)
    #expect(probe.status == 1)
    let answers = state.deletingLastPathComponent().appendingPathComponent("answers.txt")
    try expected.joined(separator: "\n").write(to: answers, atomically: true, encoding: .utf8)
    let run = try CLI.run(["practice", "basics", "--content", content.path, "--seed", "8", "--count", "6", "--json", "--answers", answers.path], environment: env)
    let results = jsonObjects(run.stdout).filter { $0["type"] as? String == "result" }
    #expect(results.map { $0["grade"] as? String } == Array(repeating: "correct", count: 6))
    #expect(run.status == 0)
    let progress = try CLI.run(["progress", "--content", content.path, "--json"], environment: env)
    #expect(progress.stdout.contains("\"mastered\" : 6"))
}

@Test("text mode echoes piped answers, explains, and ends with a score")
func practiceTextMode() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let result = try CLI.run(["practice", "--content", content.path, "--seed", "1", "--count", "1"], stdin: "what\nskip\n", environment: ["XDG_STATE_HOME": state.path])
    #expect(result.stdout.contains("Question 1 of 1"))
    #expect(result.stdout.contains("› what"))
    #expect(result.stdout.contains("› skip"))
    #expect(result.stdout.contains("The answer: "))
    #expect(result.stdout.contains("Score: 0 of 1 (0%)"))
    #expect(!result.stdout.contains("\u{1B}["))
    #expect(result.status == 1)
}

@Test("bad usage exits 64 with a message on stderr")
func practiceBadUsage() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    let unknownSet = try CLI.run(["practice", "nope", "--content", content.path], environment: env)
    #expect(unknownSet.status == 64)
    #expect(unknownSet.stderr.contains("practice --list"))
    let badCount = try CLI.run(["practice", "--count", "0", "--content", content.path], environment: env)
    #expect(badCount.status == 64)
    let missing = try CLI.run(["practice", "--answers", "/nonexistent/answers", "--content", content.path], environment: env)
    #expect(missing.status == 64)
}

@Test("a damaged progress database is reported and kept aside, and the session still runs")
func practiceCorruptProgress() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let folder = state.appendingPathComponent("mhalearn")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try String(repeating: "garbage ", count: 200).write(to: folder.appendingPathComponent("progress.sqlite"), atomically: true, encoding: .utf8)
    let result = try CLI.run(["practice", "--content", content.path, "--seed", "2", "--count", "1"], stdin: "skip\n", environment: ["XDG_STATE_HOME": state.path])
    #expect(result.stderr.contains("was damaged; it was moved to"))
    #expect(result.stderr.components(separatedBy: "damaged").count == 2, "one message, not two: \(result.stderr)")
    #expect(result.stdout.contains("Question 1 of 1"))
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names.contains { $0.hasPrefix("progress.corrupt-") })
}

@Test("Ctrl-C while waiting for an answer keeps what was finished and exits 130")
func practiceInterrupted() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["practice", "--content", content.path, "--seed", "4", "--count", "3"]
    var env = ProcessInfo.processInfo.environment
    env["XDG_STATE_HOME"] = state.path
    process.environment = env
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data("skip\n".utf8))
    let progressFile = state.appendingPathComponent("mhalearn/progress.sqlite")
    let deadline = Date().addingTimeInterval(20)
    while !FileManager.default.fileExists(atPath: progressFile.path), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    Thread.sleep(forTimeInterval: 0.3)
    Thread.sleep(forTimeInterval: 0.2)
    process.interrupt()
    let pid = process.processIdentifier
    DispatchQueue.global().asyncAfter(deadline: .now() + 15) { if process.isRunning { kill(pid, SIGKILL) } }
    let text = String(decoding: output.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
    process.waitUntilExit()
    try? input.fileHandleForWriting.close()
    #expect(process.terminationStatus == 130)
    #expect(text.contains("Interrupted. Score: 0 of 1"))
    let progress = try CLI.run(["progress", "--content", content.path, "--json"], environment: ["XDG_STATE_HOME": state.path])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) as? [String: Any])
    let seen = (object["exercises"] as? [[String: Any]] ?? []).filter { ($0["seen"] as? Int ?? 0) > 0 }
    #expect(seen.count == 1)
}

/// Runs `mhalearn ARGS` on a pseudo-terminal (util-linux `script`), feeding `input`.
func runOnTerminal(_ arguments: [String], input: String, environment: [String: String]) throws -> String? {
    let script = URL(fileURLWithPath: "/usr/bin/script")
    guard FileManager.default.isExecutableFile(atPath: script.path) else { return nil }
    let process = Process()
    process.executableURL = script
    process.arguments = ["-qfec", ([CLI.binary.path] + arguments).joined(separator: " "), "/dev/null"]
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    env["TERM"] = "xterm-256color"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    let pid = process.processIdentifier
    DispatchQueue.global().asyncAfter(deadline: .now() + 20) { if process.isRunning { kill(pid, SIGKILL) } }
    let output = String(decoding: stdout.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
    process.waitUntilExit()
    return output
}

@Test("on a terminal the prompt waits without echoing, in colour unless NO_COLOR is set")
func practiceOnTerminal() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let arguments = ["practice", "--content", content.path, "--seed", "3", "--count", "2"]
    guard let coloured = try runOnTerminal(arguments, input: "skip\nquit\n", environment: ["XDG_STATE_HOME": state.path]) else { return }
    #expect(coloured.contains("\u{1B}[1mQuestion 1 of 2"))
    #expect(coloured.contains("The answer: "))
    #expect(!coloured.contains("› skip"), "a terminal echoes input itself; the program must not")
    #expect(coloured.contains("Stopped."))
    let plain = try runOnTerminal(arguments, input: "quit\n", environment: ["XDG_STATE_HOME": state.path, "NO_COLOR": "1"]) ?? ""
    #expect(plain.contains("Question 1 of 2"))
    #expect(!plain.contains("\u{1B}["))
}

@Test("--review starts with the exercise missed before")
func practiceReviewStartsWithMissed() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    let env = ["XDG_STATE_HOME": state.path]
    let first = try CLI.run(["practice", "--content", content.path, "--seed", "6", "--count", "1", "--json"], stdin: "skip\n", environment: env)
    let missed = try #require(jsonObjects(first.stdout).first { $0["type"] as? String == "result" }?["id"] as? String)
    for seed in ["1", "2"] {
        let review = try CLI.run(["practice", "--content", content.path, "--seed", seed, "--count", "3", "--review", "--json"], environment: env)
        #expect(jsonObjects(review.stdout).first?["id"] as? String == missed)
    }
}

@Test("a broken exercise file is reported on stderr and the rest of the bank is still practised")
func practiceWithBrokenFile() throws {
    let (content, state) = try practiceSandbox()
    defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
    try "format: 1\nexercises:\n  - id: broken\n    kind: nope\n".write(to: content.appendingPathComponent("exercises/basics/broken.yaml"), atomically: true, encoding: .utf8)
    let result = try CLI.run(["practice", "--content", content.path, "--seed", "1", "--count", "1"], stdin: "skip\n", environment: ["XDG_STATE_HOME": state.path])
    #expect(result.stderr.contains("exercises/basics/broken.yaml:4:11: error: unknown kind `nope`"))
    #expect(result.stdout.contains("Question 1 of 1"))
}

@Test("practice --id with --given poses the variant with those values, and the seed it reports poses it again")
func practiceGivenPosesThatVariant() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-given-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    let env = ["XDG_STATE_HOME": state.path]
    let posed = try CLI.run(["practice", "--id", "dk-from-d-model", "--given", "d_model=512,h=8", "--json"], stdin: "quit\n", environment: env, cwd: CLI.packageRoot)
    #expect(posed.status == 0)
    let first = try #require(posed.stdout.split(separator: "\n").first)
    let question = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    let prompt = try #require(question["prompt"] as? String)
    #expect(prompt.contains("d_model = 512") && prompt.contains("runs 8 heads"))
    let seed = try #require(question["seed"] as? Int)
    let again = try CLI.run(["practice", "--id", "dk-from-d-model", "--seed", String(seed), "--json"], stdin: "quit\n", environment: env, cwd: CLI.packageRoot)
    #expect(again.stdout.split(separator: "\n").first.map(String.init) == String(first))
    let missing = try CLI.run(["practice", "--id", "dk-from-d-model", "--given", "d_model=500"], environment: env, cwd: CLI.packageRoot)
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("d_model = 500 is not a value of dk-from-d-model"))
    let withoutID = try CLI.run(["practice", "--given", "h=8"], environment: env, cwd: CLI.packageRoot)
    #expect(withoutID.status == 64)
}
