import ArgumentParser
import Exercises
import Practice
import Progress
import Foundation
import MarkdownTerminal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn practice`: pose questions, grade them generously, hint, explain, keep progress.
struct PracticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practice",
        abstract: "Answer questions on multi-head attention; answers are graded, explained and remembered.",
        discussion: """
        Type an answer and press Enter. Numbers may be written 64, 64.0, d_k = 64, 64 dims or \
        768/12; shapes [11, 64], (11, 64), 11x64 or 11,64; options by letter (b) or by their text. \
        An answer that cannot be read costs no attempt. Type ? or hint for a hint, skip to see the \
        answer, quit to stop. Ctrl-D or Ctrl-C also stop; every finished question is saved as soon \
        as it is over.

        Without a terminal, answers are read one a line from standard input or --answers FILE. \
        With --json every event is one JSON object a line: {"type":"question"} when a question is \
        posed, {"type":"attempt"} for each input that does not end it, {"type":"result"} with the \
        question, answer, grade and feedback, and a final {"type":"summary"}.

        Progress is kept in $XDG_STATE_HOME/mhalearn/progress.json (default \
        ~/.local/state/mhalearn/). Exit status: 0 when no answered question was missed, 1 when one \
        was or progress could not be saved, 64 for bad usage, 130 when interrupted.

        Examples:
          mhalearn practice                          # 10 questions from every set
          mhalearn practice multi-head --count 5     # 5 from one set
          mhalearn practice --review                 # what you missed, first
          mhalearn practice --seed 7 --json --answers answers.txt
        """
    )

    @Argument(help: ArgumentHelp("The exercise set to practise (a folder under exercises/); default: every set.", valueName: "SET"))
    var set: String?

    @Option(parsing: .unconditional, help: "Draw questions with this seed: the same seed gives the same questions (default: random, and printed).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "How many questions to pose (default: \(SessionPlanner.defaultCount)).")
    var count: Int?

    @Flag(help: "Start with what you missed before, most-missed first, spaced through the session.")
    var review = false

    @Option(help: ArgumentHelp("Read answers from FILE, one a line, instead of standard input (`-`: standard input, echoed).", valueName: "FILE"))
    var answers: String?

    @Flag(help: "Print one JSON object a line (question, attempt, result, summary) instead of text.")
    var json = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        if let count, !(1...500).contains(count) {
            throw ValidationError("--count must be between 1 and 500; got \(count).")
        }
    }

    func run() throws {
        let root = try contentOptions.root()
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        // Practising one set, only the problems of that set's files matter.
        let relevant = bank.diagnostics.filter { set == nil || $0.location.path.split(separator: "/").dropLast().last.map(String.init) == set }
        for diagnostic in relevant { Standard.error("\(diagnostic)") }
        if !relevant.isEmpty {
            Standard.error("warning: exercises with the errors above are left out; `mhalearn check` lists every problem.")
        }
        var exercises = bank.exercises
        if let set {
            guard bank.sets.contains(set) else {
                var message = "no exercise set called `\(sanitize(set))` in \(root.path)/exercises"
                if let match = LessonCatalog.closest(to: set, among: bank.sets) {
                    message += "; did you mean `\(match)`?"
                } else {
                    message += bank.sets.isEmpty ? "; there are none." : "; known sets: " + bank.sets.joined(separator: ", ") + "."
                }
                throw usageFailure(message, command: "practice")
            }
            exercises = bank.exercises(in: set)
        }
        guard !exercises.isEmpty else {
            Standard.error("error: no exercises to practise in \(root.path)/exercises.")
            throw ExitCode.failure
        }

        let store = ProgressStore(directory: ProgressStore.defaultDirectory())
        var warnings: [String] = []
        var progress = ProgressData()
        do {
            let loaded = try store.load()
            progress = loaded.data
            warnings += loaded.warnings
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
        for warning in warnings { Standard.error("warning: \(warning)") }

        let sessionSeed = seed ?? UInt64.random(in: 0...999_999)
        let size = count ?? SessionPlanner.defaultCount
        var plan: [PlannedQuestion]
        var heading = "Practice: \(set ?? "all sets") · seed \(sessionSeed)"
        if review {
            plan = SessionPlanner.review(exercises, progress: progress, count: size, seed: sessionSeed)
            let due = exercises.filter { (progress.record(for: $0)?.reviewWeight ?? 0) > 0 }.count
            heading += due == 0 ? " · nothing missed yet, so new questions first" : " · review: \(due) missed before"
        } else {
            plan = SessionPlanner.plan(exercises, count: size, seed: sessionSeed)
        }

        let input: () -> InputEvent
        var echo = isatty(STDIN_FILENO) == 0
        if let answers, answers != "-" {
            guard let data = FileManager.default.contents(atPath: answers) else {
                throw usageFailure("--answers \(sanitize(answers)): cannot read that file.", command: "practice")
            }
            let reader = AnswerFile(text: String(decoding: data, as: UTF8.self))
            input = { Interrupt.requested ? .interrupted : reader.next() }
            echo = true
        } else {
            input = Interrupt.readStandardInput
            if answers == "-" { echo = true }
        }
        Interrupt.install()

        let settings = TerminalSettings(options: output)
        let format = SessionFormat(json: json, color: settings.color, width: settings.width, echoInput: echo)
        let session = PracticeSession(plan: plan, store: store, format: format, heading: heading)
        let summary = session.run(read: input, write: Standard.output)
        for problem in summary.problems { Standard.error("\(problem)") }
        for warning in summary.warnings { Standard.error("warning: \(warning)") }
        if summary.ending == .interrupted { throw ExitCode(130) }
        if summary.missedAny || !summary.unsaved.isEmpty { throw ExitCode.failure }
    }
}

/// Answers read from a file, one a line.
final class AnswerFile {
    private var lines: [String]

    init(text: String) {
        var lines = text.components(separatedBy: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
    }

    func next() -> InputEvent {
        lines.isEmpty ? .endOfInput : .line(lines.removeFirst())
    }
}

/// Ctrl-C handling: a flag set by the signal handler, checked around every read.
///
/// The handler is installed without `SA_RESTART`, so a read blocked on the terminal returns at once
/// when Ctrl-C arrives and the session can save and end cleanly. The signals are unblocked first, as a
/// parent may have started the process with them blocked.
enum Interrupt {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if os(Linux)
            action.__sigaction_handler.sa_handler = { _ in Interrupt.flag = 1 }
            #else
            action.__sigaction_u.__sa_handler = { _ in Interrupt.flag = 1 }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// One line of standard input, or why there is none.
    static func readStandardInput() -> InputEvent {
        StandardInput.shared.next()
    }
}

/// Reads standard input a line at a time with `read(2)`, so Ctrl-C (EINTR) ends a blocked read at once.
final class StandardInput {
    nonisolated(unsafe) static let shared = StandardInput()
    private var buffer: [UInt8] = []
    private var ended = false

    func next() -> InputEvent {
        while true {
            if Interrupt.requested { return .interrupted }
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return .line(String(decoding: line, as: UTF8.self))
            }
            if ended {
                guard !buffer.isEmpty else { return .endOfInput }
                defer { buffer.removeAll() }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[..<count]
            } else if count == 0 {
                ended = true
            } else if errno != EINTR {
                ended = true
            }
        }
    }
}

/// Writing to standard output and standard error.
enum Standard {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `text` and a newline to standard error, control characters made visible (messages
    /// quote names and paths the user typed or a file held).
    static func error(_ text: String) {
        FileHandle.standardError.write(Data(sanitize(text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
