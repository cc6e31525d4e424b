import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `mhalearn ARGS` with standard input held open, answers each question with `answer`, and
/// kills it with SIGKILL as soon as it has printed its first `{"type":"result"}` line; returns what it
/// printed up to then.
func killAfterFirstResult(_ arguments: [String], environment: [String: String], answer: String = "skip") throws -> String {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var seen = ""
    var answered = 0
    while true {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        seen += String(decoding: chunk, as: UTF8.self)
        if seen.contains(#""type":"result""#) {
            kill(process.processIdentifier, SIGKILL)
            break
        }
        let questions = seen.components(separatedBy: #""type":"question""#).count - 1
        while answered < questions {
            input.fileHandleForWriting.write(Data((answer + "\n").utf8))
            answered += 1
        }
    }
    process.waitUntilExit()
    try? input.fileHandleForWriting.close()
    return seen
}

/// The sessions `progress --history --json` lists for the state folder `state`.
func storedSessions(state: URL) throws -> [[String: Any]] {
    let history = try CLI.run(["progress", "--history", "--json"], environment: ["XDG_STATE_HOME": state.path])
    let object = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any]
    return object?["sessions"] as? [[String: Any]] ?? []
}

@Suite("What was printed is on disk, and a killed session can be resumed")
struct KilledSessionTests {
    @Test("killed with SIGKILL right after each of 20 result lines, no printed result is lost")
    func killAfterResult() throws {
        let (content, state) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        var printed = 0
        for run in 0..<20 {
            let seen = try killAfterFirstResult(["practice", "--content", content.path, "--seed", "\(run)", "--count", "3", "--json"],
                                                environment: ["XDG_STATE_HOME": state.path])
            if seen.contains(#""type":"result""#) { printed += 1 }
        }
        #expect(printed == 20)
        let answered = try storedSessions(state: state).map { $0["answered"] as? Int ?? 0 }
        #expect(answered.count == 20)
        #expect(answered.reduce(0, +) == printed, "\(answered)")
    }

    @Test("a session killed with SIGKILL after its first question resumes at the second")
    func killedSessionResumes() throws {
        let (content, state) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let env = ["XDG_STATE_HOME": state.path]
        _ = try killAfterFirstResult(["practice", "--content", content.path, "--seed", "3", "--count", "3", "--json"], environment: env)
        let resumed = try CLI.run(["practice", "--content", content.path, "--resume", "--json"], stdin: "skip\nskip\n", environment: env)
        #expect(!resumed.stderr.contains("no unfinished session"), "\(resumed.stderr)")
        let questions = jsonObjects(resumed.stdout).filter { $0["type"] as? String == "question" }
        #expect(questions.map { $0["number"] as? Int } == [1, 2])
        let sessions = try storedSessions(state: state)
        #expect(sessions.count == 1)
        #expect(sessions.first?["answered"] as? Int == 3)
        #expect(sessions.first?["ending"] as? String == "finished")
    }
}
