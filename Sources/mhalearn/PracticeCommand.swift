import ArgumentParser
import Exercises
import Practice
import Progress
import Foundation
import AttentionCore
import MarkdownTerminal
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn practice`: pose questions chosen from the learner's progress, grade them, hint, explain, keep progress.
struct PracticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practice",
        abstract: "Answer questions on multi-head attention; answers are graded, explained and remembered.",
        discussion: """
        A session draws, in this order: exercises due for review, exercises you have never answered, \
        then the weakest of the rest; topics alternate. An exercise is mastered when you answer it \
        right at the first try without a hint. Reviews are scheduled by FSRS-6: a new exercise \
        comes back after 10 minutes, then when your predicted recall falls to 90 % (days, then \
        weeks); right after a retry or a hint counts as Hard (sooner); a miss is a lapse and comes \
        back 10 minutes later, the same day. Mastered exercises that are not due are not asked, so \
        a session can be shorter than --count.

        Type an answer and press Enter. Numbers may be written 64, 64.0, d_k = 64, 64 dims, \
        768/12, 36 x 4, 36x4, sqrt(64), √64, 38,400, 38 400, 2_359_296, twelve, 16k, 1.5M, 7B, \
        56.7 million, or with byte units at their real values (16 KB = 16,000 bytes, 16 KiB = \
        16,384; MB, MiB, GB, GiB). A unit word must be the question's (64 heads is not a width in \
        dims). Shapes: [11, 64], (11, 64), 11x64 or 11,64. Options: by letter (b, option b), by \
        their text, or by a word only one option has (MQA); yes/no; all or none on select-all \
        questions. An answer that cannot be read, or a count rounded (1.05M), costs no attempt. \
        Type ? or hint for a hint, skip to see the answer, quit to stop. Credit: a question right at the first try counts 1; each retry and \
        each hint asked for halves it (0.5, 0.25, ...). A question left with quit, Ctrl-C or Ctrl-D \
        records nothing; every finished question is saved as soon as it is over, and --resume picks \
        up a session that stopped early.

        Without a terminal, answers are read one a line from standard input or --answers FILE. \
        With --json every event is one JSON object a line: {"type":"question"} when a question is \
        posed (its "seed" poses it again with --id ID --seed N), {"type":"attempt"} for each input \
        that does not end it, {"type":"result"} with the grade, credit and first_try, and a final \
        {"type":"summary"}.

        Progress is kept in $XDG_STATE_HOME/mhalearn/progress.sqlite (default \
        ~/.local/state/mhalearn/). MHALEARN_NOW (an ISO 8601 time) overrides the clock. Exit \
        status: 0 when no answered question was missed, 1 when one was or progress could not be \
        saved, 64 for bad usage, 130 when interrupted.

        Examples:
          mhalearn practice                          # due, then new, then weakest: 10 questions
          mhalearn practice params --count 5         # 5 on one topic (a tag) or set
          mhalearn practice --list                   # sets and topics, with counts
          mhalearn practice --resume                 # finish a session that stopped early
          mhalearn practice --id heads-split-dims --seed 1234
          mhalearn practice --seed 7 --json --answers answers.txt
          mhalearn practice --model llama-3-8b       # the exercises about Llama 3 8B first
        """
    )

    @Argument(help: ArgumentHelp("A topic (a tag, such as params) or an exercise set (a folder under exercises/); default: everything.", valueName: "TOPIC"))
    var set: String?

    @Option(parsing: .unconditional, help: "Draw questions with this seed: the same seed and progress give the same questions. With --id, the variant seed that --json reports.")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "At most how many questions to pose (default: \(SessionPlanner.defaultCount)).")
    var count: Int?

    @Flag(help: "Only questions due for review or not yet mastered.")
    var review = false

    @Flag(help: "List the sets and topics, with how many exercises each has and how many you have mastered.")
    var list = false

    @Flag(help: "Continue the last session that stopped before its end.")
    var resume = false

    @Option(help: ArgumentHelp("Pose this one exercise (with --seed N, its variant N).", valueName: "ID"))
    var id: String?

    @Option(help: ArgumentHelp("With --id, pose the variant with these values, e.g. d_model=512,h=8.", valueName: "NAME=VALUE,…"))
    var given: String?

    @Option(help: ArgumentHelp("Pose the exercises about this published model first (a catalog name, `mhalearn model --list`), each with that model, then the usual plan.", valueName: "NAME"))
    var model: String?

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
        if resume && (id != nil || set != nil || review || list) {
            throw ValidationError("--resume continues the last session as it was planned; give it no TOPIC, --id, --review or --list.")
        }
        if id != nil && (set != nil || review || count != nil) {
            throw ValidationError("--id poses one exercise; give it no TOPIC, --review or --count.")
        }
        if model != nil && (id != nil || resume) {
            throw ValidationError("--model orders a planned session; give it without --id or --resume.")
        }
        if let model, ModelCatalog.entry(named: model) == nil {
            let hint = model.hasSuffix(".json") || model.contains("/")
                ? " Exercises compute their keys from catalog models by name, so practice takes a catalog name; `mhalearn lesson NAME --model \(model)` reads a config.json."
                : ModelCatalog.suggestion(for: model).map { " Did you mean \($0)?" } ?? " `mhalearn model --list` lists the catalog."
            throw ValidationError("--model \(model): not a catalog model.\(hint)")
        }
        if given != nil && (id == nil || seed != nil) {
            throw ValidationError("--given picks the variant of one exercise: give it with --id and without --seed.")
        }
    }

    func run() throws {
        let now: Date
        do { now = try ProgressClock.now() } catch { throw usageFailure("\(error)", command: "practice") }
        let root = try contentOptions.root()
        let stamp = BankStamp.current(root: root)
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        // Practising one set, only the problems of that set's files matter.
        let relevant = bank.diagnostics.filter { set == nil || $0.location.path.split(separator: "/").dropLast().last.map(String.init) == set }
        for diagnostic in relevant { Standard.error("\(diagnostic)") }
        if !relevant.isEmpty {
            Standard.error("warning: exercises with the errors above are left out; `mhalearn check` lists every problem.")
        }
        let store = ProgressStore(directory: ProgressStore.defaultDirectory())
        store.stopWaiting = { Interrupt.requested }
        let progress: ProgressSnapshot
        do {
            // A damaged store is moved aside and salvaged before planning, so the session plans from
            // what was kept and says so once.
            if !list {
                for warning in try store.recoverIfDamaged() { Standard.error("warning: \(warning)") }
            }
            let loaded = try store.snapshot()
            progress = loaded.snapshot
            for warning in loaded.warnings { Standard.error("warning: \(warning)") }
        } catch {
            Standard.error("error: \(error)")
            throw ExitCode.failure
        }
        if list {
            Standard.output(sanitize(Self.listing(bank.exercises, progress: progress)))
            return
        }

        let sessionSeed = seed ?? UInt64.random(in: 0...999_999)
        var plan: [PlannedQuestion]
        var heading: String
        var selection: String
        var startPosition = 0
        var resumed: SessionInfo?
        if resume {
            guard let session = progress.resumable else {
                Standard.error("error: there is no unfinished session to resume; run `mhalearn practice` to start one.")
                throw ExitCode.failure
            }
            plan = SessionPlanner.resume(session, exercises: bank.exercises)
            startPosition = session.position
            resumed = session
            selection = session.selection
            heading = "Practice: \(session.selection) · resuming at question \(session.position + 1) of \(session.plan.count)"
        } else if let id {
            guard let exercise = bank.exercises.first(where: { $0.id == id }) else {
                var message = "no exercise with id `\(sanitize(id))`"
                message += closest(id, in: bank.exercises.map(\.id)).map { "; did you mean `\($0)`?" }
                    ?? "; `mhalearn practice --list` lists the sets and topics."
                throw usageFailure(message, command: "practice")
            }
            var variant = seed ?? UInt64.random(in: 0...0xFFFF_FFFF)
            if let given {
                let found = AnswerSheet.parseGiven(given).flatMap { AnswerSheet.seed(for: exercise, given: $0) }
                switch found {
                case .success(let seed): variant = seed
                case .failure(.selection(let why)): throw usageFailure("--given \(sanitize(given)): \(sanitize(why)).", command: "practice")
                case .failure(.problems(let problems)):
                    throw usageFailure("\(exercise.id) cannot be drawn: \(problems.map(\.description).joined(separator: "; "))", command: "practice")
                }
            }
            plan = [PlannedQuestion(exercise: exercise, seed: variant)]
            selection = exercise.id
            heading = "Practice: \(exercise.id) · variant \(plan[0].seed)"
        } else {
            var exercises = bank.exercises
            selection = "all topics"
            if let set {
                exercises = try Self.select(set, from: bank, root: root)
                selection = set
            }
            guard !exercises.isEmpty else {
                Standard.error("error: no exercises to practise in \(root.path)/exercises.")
                throw ExitCode.failure
            }
            plan = SessionPlanner.plan(exercises, progress: progress, count: count ?? SessionPlanner.defaultCount, seed: sessionSeed,
                                       now: now.timeIntervalSince1970, reviewOnly: review)
            if let model, let entry = ModelCatalog.entry(named: model) {
                let first = Self.aboutModel(entry, in: exercises)
                if first.isEmpty {
                    Standard.error("note: no exercise in \(selection) is drawn for \(entry.displayName) (none lists it among its values); the session is the usual one.")
                } else {
                    let ids = Set(first.map(\.exercise.id))
                    plan = Array((first + plan.filter { !ids.contains($0.exercise.id) }).prefix(max(count ?? SessionPlanner.defaultCount, first.count)))
                    selection += " · \(entry.id) first"
                }
            }
            let due = plan.filter { $0.reason == .due }.count, new = plan.filter { $0.reason == .new }.count
            heading = "Practice: \(selection) · seed \(sessionSeed) · \(due) due for review, \(new) new, \(plan.count - due - new) to strengthen"
            if plan.isEmpty, review, exercises.contains(where: { (progress.state(for: $0)?.seen ?? 0) == 0 }) {
                Standard.output("Nothing in \(sanitize(selection)) is due for review or still to strengthen; `mhalearn practice` poses questions you have not seen yet.\n")
                return
            }
            if plan.isEmpty {
                let next = exercises.compactMap { progress.state(for: $0)?.schedule.due }.filter { $0 > now.timeIntervalSince1970 }.min()
                var message = "Nothing to practise in \(sanitize(selection)) now: every exercise is mastered"
                message += next.map { " and the next review is due \(CourseMap.when($0, now: now))." } ?? "."
                Standard.output(message + " `mhalearn` shows the course map.\n")
                return
            }
            if isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0, !json, let open = progress.resumable {
                Standard.error("An earlier session stopped at question \(open.position + 1) of \(open.plan.count); `mhalearn practice --resume` continues it.")
            }
        }

        var sessionID: Int64?
        do {
            if let resumed {
                try store.reopenSession(resumed.id)
                sessionID = resumed.id
            } else {
                sessionID = try store.startSession(selection: selection, seed: sessionSeed,
                                                   plan: plan.map { PlannedSlot(id: $0.exercise.id, seed: $0.seed) }, now: now)
            }
            if bank.diagnostics.isEmpty { try? store.cacheBank(root: root, entries: bank.exercises.map(BankEntry.init), stamp: stamp) }
        } catch {
            Standard.error("error: \(error)")
            Standard.error("Nothing was asked, as no answer could be kept; fix the above or point XDG_STATE_HOME at a folder you can write to.")
            throw ExitCode.failure
        }

        let input: () -> InputEvent
        var lines = StandardInputLines.lines
        var echo = isatty(STDIN_FILENO) == 0
        if let answers, answers != "-" {
            let reader = try AnswerInput.open(answers)
            lines = reader
            input = { reader.next(interrupted: { Interrupt.requested }) }
            echo = true
        } else {
            input = Interrupt.readStandardInput
            if answers == "-" { echo = true }
        }
        Interrupt.install()

        let settings = TerminalSettings(options: output)
        let format = SessionFormat(json: json, color: settings.color, width: settings.width, echoInput: echo)
        let clock = ProgressClock.self
        let fixed = ProcessInfo.processInfo.environment["MHALEARN_NOW"].flatMap { clock.parse($0) }
        var session = PracticeSession(plan: plan, store: store, format: format, heading: sanitize(heading), sessionID: sessionID,
                                      startPosition: startPosition, now: { fixed ?? Date() })
        session.resumed = resumed
        let summary = session.run(read: input, write: Standard.output)
        for problem in summary.problems { Standard.error("\(problem)") }
        for warning in summary.warnings { Standard.error("warning: \(warning)") }
        if let problem = lines.problem { Standard.error(problem); throw ExitCode.failure }
        if summary.ending == .interrupted { throw ExitCode(130) }
        if summary.missedAny || !summary.unsaved.isEmpty { throw ExitCode.failure }
    }

    /// A question for each exercise with a parameter that lists the catalog model `entry` (under any of
    /// its names), posed with that model.
    static func aboutModel(_ entry: CatalogEntry, in exercises: [Exercise]) -> [PlannedQuestion] {
        exercises.compactMap { exercise in
            for parameter in exercise.given {
                for case .string(let name) in parameter.domain.values where ModelCatalog.entry(named: name)?.id == entry.id {
                    if case .success(let seed) = AnswerSheet.seed(for: exercise, given: [parameter.name: name]) {
                        return PlannedQuestion(exercise: exercise, seed: seed, reason: .chosen)
                    }
                }
            }
            return nil
        }
    }

    /// The exercises of a set or a topic (tag) named `name`, or a usage error naming the closest.
    static func select(_ name: String, from bank: ExerciseBank, root: URL) throws -> [Exercise] {
        if bank.sets.contains(name) { return bank.exercises(in: name) }
        let tagged = bank.exercises.filter { $0.tags.contains(name) }
        if !tagged.isEmpty { return tagged }
        let topics = Set(bank.exercises.flatMap(\.tags)).sorted()
        var message = "no topic or exercise set called `\(sanitize(name))` in \(root.path)/exercises"
        if let match = closest(name, in: bank.sets + topics) {
            message += "; did you mean `\(match)`?"
        } else {
            message += "; `mhalearn practice --list` lists them."
        }
        throw usageFailure(message, command: "practice")
    }

    /// The sets and topics with their counts, for `--list`.
    static func listing(_ exercises: [Exercise], progress: ProgressSnapshot) -> String {
        func line(_ name: String, _ items: [Exercise], width: Int) -> String {
            let mastered = items.filter { progress.state(for: $0)?.mastered == true }.count
            return "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(items.count) exercise\(items.count == 1 ? "" : "s"), \(mastered) mastered\n"
        }
        let sets = Dictionary(grouping: exercises, by: \.set)
        var topics: [String: [Exercise]] = [:]
        for exercise in exercises { for tag in Set(exercise.tags) { topics[tag, default: []].append(exercise) } }
        let width = (Array(sets.keys) + Array(topics.keys)).map(\.count).max() ?? 0
        var text = "Sets (`mhalearn practice SET`):\n"
        for name in sets.keys.sorted() { text += line(name, sets[name] ?? [], width: width) }
        text += "Topics (`mhalearn practice TOPIC`):\n"
        for name in topics.keys.sorted() { text += line(name, topics[name] ?? [], width: width) }
        return text
    }
}
