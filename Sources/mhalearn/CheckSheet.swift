import ArgumentParser
import Exercises
import ExpressionLanguage
import Foundation
import MarkdownTerminal
import Lessons
import Reports
import Support

/// `check --sheet` and `check --watch`.
extension CheckCommand {
    /// Prints the answer sheet of every exercise named (or of `--id`), as text or JSON.
    func runSheet() throws {
        let targets = try CheckTargets.collect(paths: try CheckTargets.resolve(paths, content: contentOptions), content: contentOptions)
        guard !targets.exercises.isEmpty else {
            throw usageFailure("an answer sheet is made from exercise files (.yaml); none were named.", command: "check")
        }
        let bank = ExerciseBank.load(files: targets.exercises, relativeTo: targets.base)
        if !bank.diagnostics.isEmpty {
            Standard.error(bank.diagnostics.map { "\($0)\n" }.joined())
        }
        var exercises = bank.exercises
        if let id {
            exercises = exercises.filter { $0.id == id }
            if exercises.isEmpty {
                let ids = bank.exercises.map(\.id)
                let guess = closest(id, in: ids).map { "; did you mean '\($0)'?" } ?? "."
                throw usageFailure("no exercise '\(sanitize(id))' in \(CheckSummary.plural(bank.files.count, "file"))\(guess)", command: "check")
            }
        }
        let selection: AnswerSheet.Selection
        if let given {
            switch AnswerSheet.parseGiven(given) {
            case .success(let values): selection = .given(values)
            case .failure(let error): throw usageFailure(Self.message(error), command: "check")
            }
        } else if let seed {
            selection = .seed(seed)
        } else {
            selection = .all(limit: limit)
        }
        var sheets: [AnswerSheet] = []
        var problems: [Diagnostic] = []
        for exercise in exercises {
            switch AnswerSheet.build(for: exercise, selection: selection) {
            case .success(let sheet):
                sheets.append(sheet)
                problems += sheet.problems
            case .failure(.problems(let found)):
                problems += found
            case .failure(let error):
                throw usageFailure(Self.message(error), command: "check")
            }
        }
        if !problems.isEmpty {
            Standard.error(problems.map { "\($0)\n" }.joined())
        }
        let preview = given != nil || seed != nil
        if json {
            Standard.output(try JSONText.encode(sheets.map(SheetJSON.init), pretty: false) + "\n")
        } else {
            Standard.output(sanitize(sheets.map { Self.text(of: $0, preview: preview) }.joined(separator: "\n")))
        }
        if !problems.isEmpty || bank.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
    }

    static func message(_ error: SheetError) -> String {
        switch error {
        case .selection(let sentence): sentence
        case .problems(let found): found.map(\.description).joined(separator: "\n")
        }
    }

    /// One exercise's sheet as text: a heading, then a block per variant.
    static func text(of sheet: AnswerSheet, preview: Bool) -> String {
        let exercise = sheet.exercise
        let coverage = sheet.isComplete
            ? "\(CheckSummary.plural(sheet.total, "variant"))"
            : "sampled from \(CheckSummary.plural(sheet.total, "variant"))"
        let shown = sheet.rows.count == sheet.total || preview ? "" : ", \(sheet.rows.count) shown"
        var text = "\(exercise.location): \(exercise.id) (\(exercise.kind.rawValue)), \(coverage)\(shown)\n"
        let renderer = PromptRenderer(width: 80, color: false)
        for row in sheet.rows {
            let given = row.given.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
            text += "  \(given.isEmpty ? "(no parameters)" : given)\(row.seed.map { " (practice seed \($0))" } ?? "")\n"
            if preview {
                text += renderer.render(row.prompt).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
                if !text.hasSuffix("\n") { text += "\n" }
            }
            text += "    key: \(row.key)\n"
            for wrong in row.wrong {
                text += "    wrong `\(wrong.entry)`: \(wrong.value ?? "not asked (its `when` is false)")\n"
            }
        }
        return text
    }

    /// One exercise's sheet as JSON: numbers as numbers, shapes as lists of numbers, a choice's
    /// key as the texts of its right options, a text key as its accepted phrases.
    struct SheetJSON: Encodable {
        /// A value in its JSON type.
        enum Typed: Encodable {
            case number(Double)
            case text(String)
            case list([Typed])

            init(_ value: Value) {
                switch value {
                case .integer(let number): self = .number(Double(number))
                case .decimal(let number): self = .number(number)
                case .string(let text): self = .text(text)
                case .shape(let dims): self = .list(dims.map { .number(Double($0)) })
                case .list(let items): self = .list(items.map(Typed.init))
                default: self = .text(ValueText.plain(value))
                }
            }

            init(_ form: PreparedWrong.Form) {
                switch form {
                case .number(let number): self = .number(number)
                case .shape(let dims): self = .list(dims.map { .number(Double($0)) })
                case .text(let text): self = .text(text)
                }
            }

            func encode(to encoder: Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .number(let number):
                    if number.rounded() == number, abs(number) < 9e15 { try container.encode(Int64(number)) } else { try container.encode(number) }
                case .text(let text): try container.encode(text)
                case .list(let items): try container.encode(items)
                }
            }
        }

        struct Row: Encodable {
            var given: [String: Typed]
            var seed: UInt64?
            var key: Typed
            var tolerance: Double?
            var wrong: [Wrong]
            var prompt: String
        }

        struct Wrong: Encodable {
            var entry: String
            var value: Typed?
        }

        var id: String
        var kind: String
        var path: String
        var line: Int
        var total: Int
        var complete: Bool
        var variants: [Row]

        init(_ sheet: AnswerSheet) {
            id = sheet.exercise.id
            kind = sheet.exercise.kind.rawValue
            path = sheet.exercise.location.path
            line = sheet.exercise.location.line
            total = sheet.total
            complete = sheet.isComplete
            let exercise = sheet.exercise
            variants = sheet.rows.map { row in
                var tolerance: Double?
                let key: Typed
                switch row.expected {
                case .number(let value, let allowed):
                    key = .number(value)
                    tolerance = allowed
                case .shape(let dims): key = .list(dims.map { .number(Double($0)) })
                case .choice, .multi: key = .list((row.question?.options ?? []).filter(\.correct).map { .text($0.text) })
                case .text: key = .list(exercise.accept.map { .text($0.value) })
                }
                return Row(given: Dictionary(row.givenValues.map { ($0.name, Typed($0.value)) }, uniquingKeysWith: { a, _ in a }), seed: row.seed,
                           key: key, tolerance: tolerance,
                           wrong: zip(row.wrong, row.wrongForms).map { Wrong(entry: $0.entry, value: $1.map(Typed.init)) }, prompt: row.prompt)
            }
        }
    }

    /// Checks, then re-checks whenever a file under the checked paths changes (polling once a
    /// second), redrawing the screen on a terminal or printing a separator line in a pipe.
    func runWatch() throws {
        let resolved = try CheckTargets.resolve(paths, content: contentOptions)
        // A parent may start us with these blocked; watching runs until one of them arrives.
        var stop = sigset_t()
        sigemptyset(&stop)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stop, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &stop, nil)
        let redraw = isatty(STDOUT_FILENO) != 0
        var last: [String: Date]?
        while true {
            let targets = try CheckTargets.collect(paths: resolved, content: contentOptions)
            let files = targets.lessons + targets.exercises
            var stamps: [String: Date] = [:]
            for file in files {
                stamps[file.path] = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? .distantPast
            }
            if stamps != last {
                let summary = check(targets)
                let clock = DateFormatter.localizedString(from: Date(), dateStyle: .none, timeStyle: .medium)
                var screen = summary.diagnostics.map { "\($0)\n" }.joined()
                screen += summary.text + "\n"
                screen += "Checked at \(clock); watching \(CheckSummary.plural(files.count, "file")) for changes (Ctrl-C to stop).\n"
                // The clear-screen sequence is ours, written after the content is made safe; in a
                // pipe each check after the first starts with a separator line instead.
                let lead = redraw ? Self.clearScreen : (last == nil ? "" : Self.separator(at: clock))
                // Standard.output would make the clear sequence visible (␛[H); only the content is made safe.
                StandardStreams.write(lead + terminalSafe(sanitize(screen)), to: STDOUT_FILENO)
                last = stamps
            }
            Thread.sleep(forTimeInterval: 1)
        }
    }

    /// Moves the cursor home and clears the screen (ANSI CSI H, CSI 2J).
    static let clearScreen = "\u{1B}[H\u{1B}[2J"

    /// The line between two checks when the output is not a terminal.
    static func separator(at clock: String) -> String { "\n--- re-checked at \(clock) ---\n" }

    /// Checks the lessons and exercise files of `targets`.
    func check(_ targets: CheckTargets) -> CheckSummary {
        var lessons = LessonCheckReport()
        let catalog = modelsToCheck
        let showProgress = catalog != nil && isatty(STDERR_FILENO) != 0 && !json
        for lesson in targets.lessons {
            let shown = targets.display(lesson)
            lessons.add(LessonChecker.check(fileAt: lesson, displayPath: shown, models: catalog) { model in
                if showProgress { Standard.progress("checking \(shown) for \(model.published.name)…") }
            })
        }
        if showProgress { Standard.progress(nil) }
        let root = try? ContentLocator.locate(explicit: contentOptions.content)
        lessons.diagnostics += CourseCheck.diagnostics(lessons: targets.lessons, courses: targets.courses, display: targets.display, root: root,
                                                       wholeCourse: paths.isEmpty) {
            var found = Set<String>()
            if let root {
                found = Set(ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root).exercises.map(\.id))
            }
            for file in targets.exercises {
                found.formUnion(ExerciseLoader.load(fileAt: file, set: file.deletingLastPathComponent().lastPathComponent).file.exercises.map(\.id))
            }
            return found
        }
        if !paths.isEmpty, let root { lessons.diagnostics += Self.bankIDClashes(targets, root: root) }
        let exercises: ExerciseCheckReport? = targets.exercises.isEmpty
            ? nil : ExerciseChecker.check(filesAt: targets.exercises, seeds: seeds, relativeTo: targets.base)
        return CheckSummary(lessons: lessons, exercises: exercises, diagnostics: lessons.diagnostics + (exercises?.diagnostics ?? []))
    }

    /// A bank file checked alone still shares the bank's ids: an id another file of the bank uses
    /// is an error here too (checking everything, the bank reports it itself). Only files under the
    /// bank's exercises/ folder share its ids.
    static func bankIDClashes(_ targets: CheckTargets, root: URL) -> [Diagnostic] {
        let folder = root.appendingPathComponent("exercises").standardizedFileURL.path + "/"
        let files = targets.exercises.filter { $0.standardizedFileURL.path.hasPrefix(folder) }
        guard !files.isEmpty else { return [] }
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        let checked = Set(files.map { $0.standardizedFileURL.path })
        var elsewhere: [String: SourceLocation] = [:]
        for exercise in bank.exercises where !checked.contains(root.appendingPathComponent(exercise.location.path).standardizedFileURL.path) {
            if elsewhere[exercise.id] == nil { elsewhere[exercise.id] = exercise.location }
        }
        var diagnostics: [Diagnostic] = []
        for file in files {
            for exercise in ExerciseLoader.load(fileAt: file, set: file.deletingLastPathComponent().lastPathComponent).file.exercises {
                guard let other = elsewhere[exercise.id] else { continue }
                var location = exercise.location
                location.path = targets.display(file)
                diagnostics.append(Diagnostic(.error, at: location, "duplicate exercise id `\(exercise.id)`; it is already used at \(other) (ids are unique in the whole bank)"))
            }
        }
        return diagnostics
    }
}
