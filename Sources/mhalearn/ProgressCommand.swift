import ArgumentParser
import Exercises
import Practice
import Progress
import Reports
import Foundation
import Lessons
import MarkdownTerminal
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn progress`: the course map in detail, past sessions, every figure as JSON, or a confirmed reset.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show the course map: lessons read, mastery per topic, reviews due, streak, what to do next.",
        discussion: """
        An exercise is mastered when your last answer to it was right at the first try without a \
        hint, in its current version (when an instructor changes a question, it counts as new). It \
        comes back for review when its predicted recall (FSRS-6, shown as "recall") falls to the \
        desired retention, 90 % unless --retention sets another (0.7 to 0.99, kept with your \
        progress; higher means more reviews); a miss brings it back the same day. The streak \
        counts the days practised in a row, up to today or yesterday. MHALEARN_NOW (an ISO 8601 \
        time) overrides the clock.

        Progress is kept in $XDG_STATE_HOME/mhalearn/progress.sqlite (default \
        ~/.local/state/mhalearn/); viewing it creates nothing. --history lists past sessions; \
        --json prints every figure: per exercise id, set, tags, mastered, seen, first_try_correct, \
        attempts, due; per topic mastered and total; due_now, streak_days and next.

        --import FILE merges a progress file (the web course's "Download progress", or another \
        machine's --export) into this record: each finished question not already here is \
        recorded and scheduled as if answered here, at its own time. --export FILE writes this \
        record in that form, for the web course's "Import progress".

        --reset [SET] forgets the progress of one set (or everything). It asks first; without a \
        terminal to ask on, pass --yes.

        Examples:
          mhalearn progress
          mhalearn progress --history
          mhalearn progress --json
          mhalearn progress --reset multi-head
          mhalearn progress --retention 0.85
        """
    )

    @Argument(help: ArgumentHelp("Only this set (a folder under exercises/).", valueName: "SET"))
    var set: String?

    @Flag(help: "List past practice sessions: when, what, how many questions, credit.")
    var history = false

    @Flag(help: "Forget progress (of SET, or of every set), after confirming.")
    var reset = false

    @Flag(name: [.short, .long], help: "Reset without asking.")
    var yes = false

    @Flag(help: "Print every figure as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Keep R (0.7 to 0.99) as the recall at which reviews fall due (default 0.9).", valueName: "R"))
    var retention: Double?

    @Option(name: .customLong("import"), help: ArgumentHelp("Merge a progress file (from the web course or --export) into this record.", valueName: "FILE"))
    var importFile: String?

    @Option(name: .customLong("export"), help: ArgumentHelp("Write this record as a progress file the web course can import.", valueName: "FILE"))
    var exportFile: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        if yes && !reset { throw ValidationError("--yes only goes with --reset.") }
        if reset && (history || json) { throw ValidationError("--reset goes with neither --history nor --json.") }
        if let retention, !Scheduler.retentionRange.contains(retention) {
            throw ValidationError("--retention \(retention) is outside 0.7 to 0.99; 0.9 (the default) schedules each review for 90 % recall.")
        }
        if retention != nil && (reset || history) { throw ValidationError("--retention goes with neither --reset nor --history.") }
        if (importFile != nil || exportFile != nil) && (reset || history || json || set != nil) {
            throw ValidationError("--import and --export go with no other option.")
        }
    }

    func run() throws {
        let store = ProgressStore(directory: ProgressStore.defaultDirectory())
        if importFile != nil || exportFile != nil {
            try transfer(store)
            return
        }
        if reset {
            try resetProgress(store)
            return
        }
        if let retention {
            do {
                try store.setRetention(retention)
            } catch {
                Standard.error("error: \(error)")
                throw ExitCode.failure
            }
            Standard.error("Desired retention set to \(ValueText.decimal(retention)): reviews from now on are scheduled for \(ValueText.decimal(retention * 100)) % recall.\n")
        }
        let now: Date
        do { now = try ProgressClock.now() } catch { throw usageFailure("\(error)", command: "progress") }
        let loaded: (snapshot: ProgressSnapshot, warnings: [String])
        do {
            loaded = try store.snapshot()
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
        for warning in loaded.warnings { Standard.error("warning: \(warning)") }

        var exercises: [Exercise] = []
        var lessons: [LessonEntry] = []
        if let root = try? ContentLocator.locate(explicit: contentOptions.content) {
            exercises = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root).exercises
            lessons = Course.load(root: root).ordered(LessonCatalog.lessons(in: root))
        } else {
            Standard.error("warning: content not found, so only recorded sessions are shown (pass --content DIR).")
        }
        if let set {
            let known = Set(exercises.map(\.set)).union(loaded.snapshot.states.values.map(\.set)).sorted()
            guard known.contains(set) else { throw usageFailure(Self.unknownSet(set, known: known), command: "progress") }
            exercises = exercises.filter { $0.set == set }
        }
        let settings = TerminalSettings(options: output)
        if history {
            let sessions = loaded.snapshot.sessions
            if json {
                let list = sessions.map { session -> [String: Any] in
                    ["id": session.id, "started": ProgressClock.format(session.started), "selection": session.selection,
                     "planned": session.plan.count, "answered": session.answered, "first_try": session.firstTry,
                     "credit": session.credit, "ending": session.ending ?? "open", "seed": session.seed]
                }
                try printJSON(["sessions": list])
                return
            }
            Standard.output(TextLayout.fit(Self.historyText(sessions, style: TerminalStyle(color: settings.color)), width: settings.width))
            return
        }
        let map = CourseMap(lessons: lessons.map { ($0.name, $0.title) }, exercises: exercises.map(BankEntry.init), progress: loaded.snapshot, now: now)
        if json {
            try printJSON(map.json(file: store.fileURL.path))
            return
        }
        Standard.output(map.text(style: TerminalStyle(color: settings.color), width: settings.width, detail: true, file: store.fileURL.path))
    }

    private func printJSON(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        Standard.output(JSONText.escapingC1(String(decoding: data, as: UTF8.self)) + "\n")
    }

    /// Past sessions, newest last.
    static func historyText(_ sessions: [SessionInfo], style: TerminalStyle) -> String {
        guard !sessions.isEmpty else { return "No practice sessions yet; `mhalearn practice` starts one.\n" }
        var text = style.bold("Sessions") + "\n"
        for session in sessions {
            let date = ProgressClock.format(session.started).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
            let credit = ValueText.decimal((session.credit * 100).rounded() / 100)
            var line = "  #\(session.id)  \(date)  \(sanitize(session.selection)): \(session.answered) of \(session.plan.count) answered"
            line += ", \(session.firstTry) at the first try, credit \(credit)"
            if let ending = session.ending, ending != "finished" { line += " (\(ending))" } else if session.ending == nil { line += " (open)" }
            text += line + "\n"
        }
        if let open = sessions.last(where: \.resumable) {
            text += "\nSession #\(open.id) stopped at question \(open.position + 1) of \(open.plan.count): `mhalearn practice --resume` continues it.\n"
        }
        return text
    }

    /// The message for a set that has neither exercises nor progress: the closest name, else the list.
    static func unknownSet(_ set: String, known: [String]) -> String {
        let message = "no exercise set called `\(sanitize(set))` and no progress recorded for it"
        if let match = closest(set, in: known) { return message + "; did you mean `\(match)`?" }
        return message + (known.isEmpty ? "." : "; known sets: " + known.joined(separator: ", ") + ".")
    }

    private func resetProgress(_ store: ProgressStore) throws {
        let what = set.map { "the progress of set `\(sanitize($0))`" } ?? "all your progress"
        let recorded: ProgressSnapshot
        do {
            let loaded = try store.snapshot()
            recorded = loaded.snapshot
            for warning in loaded.warnings { Standard.error("warning: \(warning)") }
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
        let affected = recorded.states.values.filter { set == nil || $0.set == set }.count
        if affected == 0 && (set != nil || recorded.sessions.isEmpty) {
            if let set {
                let known = (try? ContentLocator.locate(explicit: contentOptions.content))
                    .map { ExerciseBank.load(root: $0.appendingPathComponent("exercises"), relativeTo: $0).sets } ?? []
                if !known.contains(set) {
                    throw usageFailure(Self.unknownSet(set, known: Set(known).union(recorded.states.values.map(\.set)).sorted()),
                                       command: "progress")
                }
            }
            Standard.output("There is no progress to forget\(set.map { " in set `\(sanitize($0))`" } ?? ""); nothing was reset.\n")
            return
        }
        if !yes {
            guard isatty(STDIN_FILENO) != 0 else {
                Standard.error("error: refusing to forget \(what) without confirmation; run it in a terminal or pass --yes.")
                throw ExitCode(64)
            }
            Standard.output("Forget \(what)? This cannot be undone. [y/N] ")
            guard let line = readLine() else {
                Standard.output("\nNothing was reset.\n")
                return
            }
            let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else {
                Standard.output("Nothing was reset.\n")
                return
            }
        }
        do {
            let (removed, warnings) = try store.reset(set: set)
            for warning in warnings { Standard.error("warning: \(warning)") }
            Standard.output("Forgot \(what): \(removed) exercise\(removed == 1 ? "" : "s") forgotten.\n")
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
