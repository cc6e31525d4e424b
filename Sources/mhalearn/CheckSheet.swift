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

    /// One exercise's sheet as JSON.
    struct SheetJSON: Encodable {
        struct Row: Encodable {
            var given: [String: String]
            var seed: UInt64?
            var key: String
            var wrong: [Wrong]
            var prompt: String
        }

        struct Wrong: Encodable {
            var entry: String
            var value: String?
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
            variants = sheet.rows.map { row in
                Row(given: Dictionary(row.given.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }), seed: row.seed, key: row.key,
                    wrong: row.wrong.map { Wrong(entry: $0.entry, value: $0.value) }, prompt: row.prompt)
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
                let clear = redraw ? "\u{1B}[H\u{1B}[2J" : (last == nil ? "" : "\n")
                var screen = ""
                let clock = DateFormatter.localizedString(from: Date(), dateStyle: .none, timeStyle: .medium)
                screen += summary.diagnostics.map { "\($0)\n" }.joined()
                screen += summary.text + "\n"
                screen += "Checked at \(clock); watching \(CheckSummary.plural(files.count, "file")) for changes (Ctrl-C to stop).\n"
                Standard.output(clear + sanitize(screen))
                last = stamps
            }
            Thread.sleep(forTimeInterval: 1)
        }
    }

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
        let exercises: ExerciseCheckReport? = targets.exercises.isEmpty
            ? nil : ExerciseChecker.check(filesAt: targets.exercises, seeds: seeds, relativeTo: targets.base)
        return CheckSummary(lessons: lessons, exercises: exercises, diagnostics: lessons.diagnostics + (exercises?.diagnostics ?? []))
    }
}
