import ArgumentParser
import Exercises
import Practice
import Progress
import Reports
import Foundation
import MarkdownTerminal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn progress`: per-set mastery, or a confirmed reset.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show how much of each exercise set you have mastered, or reset it.",
        discussion: """
        An exercise counts as mastered when your last answer to it was right. Progress is kept in \
        $XDG_STATE_HOME/mhalearn/progress.json (default ~/.local/state/mhalearn/), per exercise \
        and per version of it: when an instructor changes a question, it counts as new.

        --reset [SET] forgets the progress of one set (or of all sets). It asks first; without a \
        terminal to ask on, pass --yes.

        Examples:
          mhalearn progress
          mhalearn progress --json
          mhalearn progress --reset multi-head
        """
    )

    @Argument(help: ArgumentHelp("Only this set (a folder under exercises/).", valueName: "SET"))
    var set: String?

    @Flag(help: "Forget progress (of SET, or of every set), after confirming.")
    var reset = false

    @Flag(name: [.short, .long], help: "Reset without asking.")
    var yes = false

    @Flag(help: "Print the mastery table as JSON.")
    var json = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        if yes && !reset { throw ValidationError("--yes only goes with --reset.") }
    }

    func run() throws {
        let store = ProgressStore(directory: ProgressStore.defaultDirectory())
        if reset {
            try resetProgress(store)
            return
        }
        let loaded: (data: ProgressData, warnings: [String])
        do {
            loaded = try store.load()
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
        for warning in loaded.warnings { Standard.error("warning: \(warning)") }

        var exercises: [Exercise] = []
        if let root = try? ContentLocator.locate(explicit: contentOptions.content) {
            exercises = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root).exercises
        } else {
            Standard.error("warning: content not found, so mastery is shown for answered exercises only (pass --content DIR).")
        }
        let rows = Mastery.rows(exercises: exercises, progress: loaded.data, only: set)
        if let set, rows.isEmpty {
            let known = Set(exercises.map(\.set)).union(loaded.data.records.values.map(\.set)).sorted()
            throw usageFailure(Self.unknownSet(set, known: known), command: "progress")
        }
        if json {
            let object: [String: Any] = ["file": store.fileURL.path, "sets": rows.map(\.json)]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            Standard.output(JSONText.escapingC1(String(decoding: data, as: UTF8.self)) + "\n")
            return
        }
        let settings = TerminalSettings(options: output)
        Standard.output(Mastery.table(rows, color: settings.color, file: store.fileURL.path, width: settings.width))
    }

    /// The message for a set that has neither exercises nor progress: the closest name, else the list.
    static func unknownSet(_ set: String, known: [String]) -> String {
        let message = "no exercise set called `\(sanitize(set))` and no progress recorded for it"
        if let match = LessonCatalog.closest(to: set, among: known) { return message + "; did you mean `\(match)`?" }
        return message + (known.isEmpty ? "." : "; known sets: " + known.joined(separator: ", ") + ".")
    }

    private func resetProgress(_ store: ProgressStore) throws {
        let what = set.map { "the progress of set `\(sanitize($0))`" } ?? "all your progress"
        let recorded: ProgressData
        do {
            let loaded = try store.load()
            recorded = loaded.data
            for warning in loaded.warnings { Standard.error("warning: \(warning)") }
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
        let affected = recorded.records.values.filter { set == nil || $0.set == set }.count
        if affected == 0 {
            if let set, !recorded.records.values.contains(where: { $0.set == set }) {
                let known = (try? ContentLocator.locate(explicit: contentOptions.content))
                    .map { ExerciseBank.load(root: $0.appendingPathComponent("exercises"), relativeTo: $0).sets } ?? []
                if !known.contains(set) {
                    throw usageFailure(Self.unknownSet(set, known: Set(known).union(recorded.records.values.map(\.set)).sorted()),
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
            Standard.output("Forgot \(what): \(removed) record\(removed == 1 ? "" : "s") removed.\n")
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// Mastery per set, as rows for a table or JSON.
enum Mastery {
    struct Row {
        var set: String
        var exercises: Int
        var answered: Int
        var mastered: Int
        var due: Int

        var percent: Int { exercises == 0 ? 0 : Int((Double(mastered) / Double(exercises) * 100).rounded()) }

        var json: [String: Any] {
            ["set": set, "exercises": exercises, "answered": answered, "mastered": mastered, "mastery": percent, "due_for_review": due]
        }
    }

    static func rows(exercises: [Exercise], progress: ProgressData, only: String?) -> [Row] {
        var sets = Set(exercises.map(\.set))
        if exercises.isEmpty { sets = Set(progress.records.values.map(\.set)) }
        if let only { sets = sets.filter { $0 == only } }
        return sets.sorted().map { set in
            let inSet = exercises.filter { $0.set == set }
            if inSet.isEmpty {
                let records = progress.records.values.filter { $0.set == set }
                let ids = Set(records.map(\.id))
                let latest = ids.compactMap { id in records.filter { $0.id == id }.max { $0.lastSeen < $1.lastSeen } }
                return Row(set: set, exercises: ids.count, answered: ids.count, mastered: latest.filter(\.mastered).count,
                           due: latest.filter { $0.reviewWeight > 0 }.count)
            }
            let records = inSet.compactMap { progress.record(for: $0) }
            return Row(set: set, exercises: inSet.count, answered: records.count, mastered: records.filter(\.mastered).count,
                       due: records.filter { $0.reviewWeight > 0 }.count)
        }
    }

    static func table(_ rows: [Row], color: Bool, file: String, width: Int = 80) -> String {
        let bold = { (text: String) in TerminalStyle(color: color).bold(text) }
        guard !rows.isEmpty else { return "No exercise sets found.\n" }
        let header = ["set", "exercises", "answered", "mastered", "due for review"]
        let body = rows.map { [$0.set, "\($0.exercises)", "\($0.answered)", "\($0.mastered) (\($0.percent)%)", "\($0.due)"] }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                           : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var text = bold(line(header)) + "\n"
        for row in body { text += line(row) + "\n" }
        if rows.contains(where: { $0.due > 0 }) {
            text += "\nRun `mhalearn practice --review` to return to what you missed.\n"
        }
        text += "Progress file: \(file)\n"
        return TextLayout.fit(text, width: width)
    }
}
