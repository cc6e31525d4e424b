import ArgumentParser
import AttentionCore
import Foundation
import ExpressionLanguage
import Lessons
import LiveValues
import Reports
import MarkdownTerminal
import Exercises
import Practice
import Progress
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn lesson [NAME]`: renders a lesson, or lists the lessons when no name is given.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Read a lesson in the terminal.",
        discussion: """
        With no NAME, lists the lessons in course order (lessons/course.yaml) with their titles. \
        NAME is a lesson's name from that list (`mhalearn lesson multi-head`) or the path of a \
        Markdown file. Long lessons open in $PAGER (else `less -R`) when writing to a terminal; \
        --no-pager prints them directly. Showing a lesson of the course records it as read (see \
        `mhalearn progress`).

        A lesson may hold checkpoints: questions from the exercise bank. Read normally, each shows \
        as a "Try it: mhalearn practice --id ID --seed N" line. With --interactive the lesson is \
        shown section by section, without a pager, and each checkpoint is asked as practice asks \
        it, graded and recorded the same way; answering every checkpoint records the lesson as \
        read, and quit, Ctrl-C or Ctrl-D stop the lesson there. Without a terminal, answers are \
        read one a line from standard input.

        Numbers in a lesson are computed as it renders: `= EXPR` spans and ```mha blocks run the \
        attention core. --source shows the lesson as written, directives included. A lesson with a \
        ```params block can be recomputed for your own model: --model takes a catalog name or a \
        config.json and binds each parameter to that model's field, and --given sets parameters by hand.

        Examples:
          mhalearn lesson                          # list the lessons
          mhalearn lesson multi-head               # read one
          mhalearn lesson multi-head --interactive # answer its checkpoints as you go
          mhalearn lesson multi-head --width 60 --color never --no-pager
          mhalearn lesson ./draft.md --source      # a file of your own, as written
          mhalearn lesson multi-head --model llama-3-8b          # recomputed for a published model
          mhalearn lesson multi-head --model ~/models/x/config.json
          mhalearn lesson multi-head --given d_model=1024,heads=16
        """
    )

    @Argument(help: "The lesson to read: a name from `mhalearn lesson`, or a path to a .md file.")
    var name: String?

    @Flag(help: "Show the lesson as written: `= EXPR` spans and ```mha blocks as source, nothing computed.")
    var source = false

    @Flag(help: "Show the lesson section by section and ask its checkpoints as practice does.")
    var interactive = false

    @Option(help: ArgumentHelp("Compute the lesson for this published model: a catalog name (`mhalearn model --list`) or a config.json file or folder. Its ```params block takes the model's fields.", valueName: "NAME|PATH"))
    var model: String?

    @Option(help: ArgumentHelp("Set the lesson's parameters by hand, e.g. d_model=4096,heads=32 (they win over --model).", valueName: "NAME=VALUE,…"))
    var given: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var content: ContentOptions

    func run() throws {
        guard let name else {
            let root = try content.root()
            let lessons = Course.load(root: root).ordered(LessonCatalog.lessons(in: root))
            let style = TerminalStyle(color: TerminalSettings(options: output).color)
            TerminalOutput.writeOut(LessonCommand.listing(lessons, style: style))
            return
        }
        let file = try lessonFile(named: name)
        let text: String
        do {
            text = try LessonCatalog.read(file)
        } catch {
            Standard.error("error: \(file.path): \((error as? AuthorFile.Refusal)?.message ?? error.localizedDescription)")
            throw ExitCode.failure
        }
        let document = MarkdownDocument(parsing: text)
        if source {
            TerminalOutput.show(document, settings: TerminalSettings(options: output))
            return
        }
        let binding = try lessonBinding(for: text)
        let lesson = LessonEvaluation(document: document, source: text, path: file.path, binding: binding)
        let problems = lesson.diagnostics.filter { $0.severity == .error }.map { Diagnostic($0.severity, at: $0.location, $0.message + binding.suffix) }
        if !binding.isDefault, !problems.isEmpty {
            Standard.error("note: the problems below come from computing this lesson\(binding.suffix); its claims do not all hold for these values.")
        }
        if !problems.isEmpty {
            let report = problems.map { "\($0)\n" }.joined() + "(`mhalearn check \(file.path)` lists these problems.)\n"
            Standard.error(report)
        }
        let courseName = courseLesson(file)
        if interactive {
            try runInteractive(lesson.document, name: courseName)
            return
        }
        var shown = Checkpoint.tryItLines(lesson.document)
        if !binding.isDefault { shown.blocks.insert(contentsOf: LessonCommand.boundTo(lesson), at: min(1, shown.blocks.count)) }
        TerminalOutput.show(shown, settings: TerminalSettings(options: output))
        if let courseName { markRead(courseName) }
    }

    /// The model and hand-set values the lesson is computed for, checked against its ```params block.
    private func lessonBinding(for text: String) throws -> LessonBinding {
        guard model != nil || given != nil else { return .defaults }
        var binding = LessonBinding()
        let parameters = LessonParameters.declared(in: text)
        if let model {
            let (configuration, entry, _) = try ModelCommand.resolve(model, command: "lesson")
            binding.model = ModelValue(published: PublishedModel(configuration: configuration, entry: entry))
            if !parameters.contains(where: { $0.field != nil }) {
                Standard.error("note: this lesson has no parameters that a model's fields feed (no ```params block with `from FIELD`), so it reads the same for every model.")
            }
        }
        if let given {
            do { binding.given = try LessonBinding.parseGiven(given) } catch {
                throw usageFailure("--given \(sanitize(given)): \(error).", command: "lesson")
            }
            if let problem = LessonParameters.unknownGiven(binding.given, parameters: parameters) {
                throw usageFailure("--given: \(problem)" + (problem.hasSuffix("?") ? "" : "."), command: "lesson")
            }
        }
        return binding
    }

    /// The line under a lesson's title saying what it was computed for.
    static func boundTo(_ lesson: LessonEvaluation) -> [Block] {
        var words: [String] = []
        if let model = lesson.binding.model { words.append("for \(model.summary)") }
        let set = lesson.parameters.filter { lesson.binding.given[$0.parameter.name] != nil || (lesson.binding.model != nil && $0.parameter.field != nil) }
        if !set.isEmpty {
            words.append("with " + set.map { "\($0.parameter.name) = \(LessonEvaluation.inlineText($0.value))" }.joined(separator: ", "))
        }
        let position = SourcePosition(line: 1, column: 1)
        return [.blockQuote([.paragraph([.text("Computed " + words.joined(separator: ", ") + ".")], position: position)], position: position)]
    }

    /// The course name of `file` when it is one of the content folder's lessons.
    private func courseLesson(_ file: URL) -> String? {
        guard let root = try? ContentLocator.locate(explicit: content.content) else { return nil }
        let lessons = LessonCatalog.lessons(in: root)
        return lessons.first { $0.url.standardizedFileURL.resolvingSymlinksInPath() == file.standardizedFileURL.resolvingSymlinksInPath() }?.name
    }

    private func markRead(_ name: String) {
        do {
            let now = try ProgressClock.now()
            try ProgressStore(directory: ProgressStore.defaultDirectory()).markLessonRead(name, now: now)
        } catch {
            Standard.error("warning: the lesson was not recorded as read: \(error)")
        }
    }

    /// Shows `document` a section at a time, asking each checkpoint; records the lesson as read when every checkpoint was answered.
    private func runInteractive(_ document: MarkdownDocument, name: String?) throws {
        // A MHALEARN_NOW that does not read is a usage error before anything is asked.
        do { _ = try ProgressClock.now() } catch { throw usageFailure("\(error)", command: "lesson") }
        let settings = TerminalSettings(options: output)
        let sections = Checkpoint.sections(document)
        var exercises: [String: Exercise] = [:]
        if sections.contains(where: { $0.checkpoint != nil }) {
            let root = try content.root()
            let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
            exercises = Dictionary(bank.exercises.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let store = ProgressStore(directory: ProgressStore.defaultDirectory())
        let fixed = ProcessInfo.processInfo.environment["MHALEARN_NOW"].flatMap { ProgressClock.parse($0) }
        let format = SessionFormat(json: false, color: settings.color, width: settings.width, echoInput: isatty(STDIN_FILENO) == 0)
        Interrupt.install()
        var missed = false
        let total = sections.filter { $0.checkpoint != nil }.count
        var asked: [(id: String, firstTry: Bool)] = []
        for (index, section) in sections.enumerated() {
            let renderer = TerminalRenderer(width: settings.width, color: settings.color, hyperlinks: settings.hyperlinksAllowed)
            TerminalOutput.writeOut(renderer.render(MarkdownDocument(blocks: section.blocks)))
            guard let checkpoint = section.checkpoint else { continue }
            guard let exercise = exercises[checkpoint.id] else {
                Standard.error("warning: checkpoint \(checkpoint.id) names no exercise of the bank, so it is left out; `mhalearn check` reports it.")
                continue
            }
            let plan = [PlannedQuestion(exercise: exercise, seed: checkpoint.seed)]
            var session = PracticeSession(plan: plan, store: store, format: format,
                                          heading: "Checkpoint \(sections.prefix(index + 1).filter { $0.checkpoint != nil }.count) of \(total)",
                                          showScore: false, now: { fixed ?? Date() })
            session.numbered = false
            let summary = session.run(read: Interrupt.readStandardInput, write: Standard.output)
            for warning in summary.warnings { Standard.error("warning: \(warning)") }
            if summary.ending == .interrupted { throw ExitCode(130) }
            if summary.answered.isEmpty {
                Standard.output("Stopped at a checkpoint; the lesson is not recorded as read. `mhalearn lesson \(name ?? "NAME") --interactive` starts again.\n")
                return
            }
            missed = missed || summary.missedAny
            asked.append((exercise.id, summary.answered.first?.firstTry ?? false))
            // Let the feedback be read before the next section scrolls it away.
            if index + 1 < sections.count {
                Standard.output(TerminalStyle(color: settings.color).dim("Press Enter for the next section.") + "\n")
                if case .interrupted = Interrupt.readStandardInput() { throw ExitCode(130) }
            }
        }
        if !asked.isEmpty {
            let right = asked.filter(\.firstTry).count
            var text = "Checkpoints: \(right) of \(asked.count) right at the first try."
            let practise = asked.filter { !$0.firstTry }.map(\.id)
            if practise.isEmpty {
                text += " Next: `mhalearn practice` keeps them fresh."
            } else {
                text += " Practise next: " + practise.map { "`mhalearn practice --id \($0)`" }.joined(separator: ", ") + "."
            }
            Standard.output(TextLayout.fit(text + "\n", width: settings.width))
        }
        if let name { markRead(name) }
        if missed { throw ExitCode.failure }
    }

    /// The lesson file for `name`: an existing `.md` path, or a lesson of the content folder.
    private func lessonFile(named name: String) throws -> URL {
        if name.hasSuffix(".md") || name.contains("/") {
            // anything there (a folder, FIFO or link loop too) is read, and refused with what it is
            if (try? FileManager.default.attributesOfItem(atPath: name)) != nil {
                return URL(fileURLWithPath: name)
            }
        }
        // the lesson by its file name first, so `lesson NAME` parses only that lesson
        let direct = try content.root().appendingPathComponent("lessons").appendingPathComponent(name.hasSuffix(".md") ? name : name + ".md")
        if !name.contains("/"), LessonCatalog.isLessonFile(direct) { return direct }
        let lessons = LessonCatalog.lessons(in: try content.root())
        if let lesson = lessons.first(where: { $0.name == name || $0.name + ".md" == name }) { return lesson.url }
        var message = "error: no lesson named '\(sanitize(name))'."
        if let suggestion = closest(name, in: lessons.map(\.name)) {
            message += " Did you mean '\(suggestion)'?"
        }
        message += "\n\n" + LessonCommand.listing(lessons, style: TerminalStyle(color: false))
        Standard.error(message)
        throw ExitCode(64)
    }

    /// The list of lessons, one a line with its title.
    static func listing(_ lessons: [LessonEntry], style: TerminalStyle) -> String {
        guard !lessons.isEmpty else { return "No lessons found.\n" }
        let widest = lessons.map { displayWidth($0.name) }.max() ?? 0
        var text = "Lessons (read one with `mhalearn lesson NAME`):\n"
        for lesson in lessons {
            let pad = String(repeating: " ", count: widest - displayWidth(lesson.name) + 2)
            text += "  " + style.bold(sanitize(lesson.name)) + pad + sanitize(lesson.title) + "\n"
        }
        return text
    }
}
