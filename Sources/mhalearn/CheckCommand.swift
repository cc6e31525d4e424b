import ArgumentParser
import Exercises
import Foundation
import MarkdownTerminal
import ExpressionLanguage
import Lessons
import LiveValues
import Reports

/// `mhalearn check [PATH…]`: proves lessons and exercise files by running the attention core.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Prove lessons and exercise files: every live number computes and every claim holds.",
        discussion: """
        Without PATH, checks every bundled lesson (lessons/*.md) and exercise file \
        (exercises/**/*.yaml) of the content folder. A PATH may be a lesson (.md), an exercise file \
        (.yaml or .yml) or a folder, searched for both.

        In a lesson, every `= EXPR` span and every statement of an ```mha block is evaluated, and \
        every `expect` claim must hold. Claims that need the real model all-MiniLM-L6-v2 are \
        skipped, each block with a `note:` line, when it is not installed (MHALEARN_MODEL=none \
        pretends so); skipped claims are counted but do not fail the check. In an exercise file, every \
        variant of every exercise (every combination of its `given` values that satisfies `where`) is \
        proved: its answer key must pass its own grader and each listed wrong answer must fail with its \
        own feedback. A space of more than 100000 variants is sampled, and the summary says so: \
        "proved over all N variants" or "sampled K of N variants", per file. A relative PATH not \
        found in the current folder is looked up in the content folder (--content, $MHALEARN_HOME).

        Every failure is printed as `file:line:col: error: message` on standard error, all of them \
        (and every skip as `file:line:col: note: …`), then a summary on standard output. Exit status: 0 when everything holds, 1 when anything \
        fails, 64 for bad usage (such as a path that does not exist).

        A lesson with a ```params block can be read for any published model (`mhalearn lesson \
        multi-head --model llama-3-8b`). `--models all` proves each such lesson once more for every \
        catalog model; without it, check proves the defaults only.

        Examples:
          mhalearn check                          # all bundled content
          mhalearn check lessons/multi-head.md    # one lesson
          mhalearn check --json exercises/        # exercise files, as JSON
          mhalearn check lessons/ --models all    # every lesson for every catalog model
        """
    )

    @Argument(help: ArgumentHelp("Lessons (.md), exercise files (.yaml) or folders to check (default: all bundled content).", valueName: "PATH"))
    var paths: [String] = []

    @Flag(help: "Print one JSON object with every diagnostic and the counts, on standard output.")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Seeds to draw per choice or multi exercise, to prove option orders (every variant is proved anyway).", valueName: "N"))
    var seeds: Int = ExerciseChecker.defaultSeeds

    @Flag(help: "Print an answer sheet instead of checking: each variant of each exercise with its key and the value of each `wrong` entry.")
    var sheet = false

    @Option(help: ArgumentHelp("With --sheet: only the exercise with this id.", valueName: "ID"))
    var id: String?

    @Option(help: ArgumentHelp("With --sheet --id: only the variants with these values, and a preview of the question (e.g. d_model=512,h=8).", valueName: "NAME=VALUE,…"))
    var given: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("With --sheet --id: the variant `practice --seed` would pose, with a preview of the question.", valueName: "N"))
    var seed: UInt64?

    @Option(parsing: .unconditional, help: ArgumentHelp("With --sheet: show at most N variants per exercise, spread over the space.", valueName: "N"))
    var limit: Int = 1000

    @Flag(help: "Re-check every time a checked file changes (polls once a second), redrawing the result; stop with Ctrl-C.")
    var watch = false

    @Option(help: ArgumentHelp("Also prove every lesson with a ```params block for these published models: `all` (the catalog) or names, comma-separated; a claim that breaks is reported at its line with the models it breaks for.", valueName: "all|NAME,…"))
    var models: String?

    /// The models `--models` names, or nil without it (validated in `validate()`).
    var modelsToCheck: [ModelValue]? {
        guard let models else { return nil }
        if models == "all" { return LessonChecker.catalogModels() }
        return models.split(separator: ",").compactMap { try? ModelValue(named: $0.trimmingCharacters(in: .whitespaces)) }
    }

    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        if !(1...10_000).contains(seeds) {
            throw ValidationError("--seeds must be between 1 and 10000; got \(seeds).")
        }
        if !sheet && (id != nil || given != nil || seed != nil) {
            throw ValidationError("--id, --given and --seed choose what an answer sheet shows; add --sheet.")
        }
        if (given != nil || seed != nil) && id == nil {
            throw ValidationError("--given and --seed pick a variant of one exercise; name it with --id.")
        }
        if given != nil && seed != nil {
            throw ValidationError("give --given or --seed, not both.")
        }
        if !(1...100_000).contains(limit) {
            throw ValidationError("--limit must be between 1 and 100000; got \(limit).")
        }
        if let models {
            if sheet { throw ValidationError("--models proves lessons for published models; it does not combine with --sheet.") }
            if models != "all" {
                for name in models.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    do { _ = try ModelValue(named: name) } catch {
                        throw ValidationError("--models \(name): \((error as? FunctionError)?.message ?? "\(error)") Give `all` or catalog names (`mhalearn model --list`).")
                    }
                }
            }
        }
        if watch && (sheet || json) {
            throw ValidationError("--watch redraws the check result for a person; it does not combine with --sheet or --json.")
        }
    }

    func run() throws {
        if sheet { return try runSheet() }
        if watch { return try runWatch() }
        let targets = try CheckTargets.collect(paths: try CheckTargets.resolve(paths, content: contentOptions), content: contentOptions)
        let summary = check(targets)
        let diagnostics = summary.diagnostics
        if json {
            Standard.output(try summary.json() + "\n")
        } else {
            if !diagnostics.isEmpty {
                Standard.error(diagnostics.map { "\($0)\n" }.joined())
            }
            // File paths come from the file system: `sanitize`, the one function for such strings.
            Standard.output(sanitize(summary.text + "\n"))
        }
        if !summary.passed { throw ExitCode.failure }
    }
}

/// The files one `check` run looks at.
struct CheckTargets {
    var lessons: [URL] = []
    var exercises: [URL] = []
    /// Course files named on the command line (`lessons/course.yaml`), checked as courses.
    var courses: [URL] = []
    /// The folder diagnostics are shown relative to (the content root, or the current folder).
    var base: URL?

    /// Each path as given when it exists; else, when relative and the content folder was named
    /// (`--content` or `MHALEARN_HOME`) and holds it, that file. A path found in neither place is
    /// a usage error naming both.
    static func resolve(_ paths: [String], content: ContentOptions,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String] {
        let named = content.content ?? environment["MHALEARN_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        return try paths.map { path in
            if FileManager.default.fileExists(atPath: path) { return path }
            if let named, !path.hasPrefix("/") {
                let inside = URL(fileURLWithPath: named).appendingPathComponent(path).path
                if FileManager.default.fileExists(atPath: inside) { return inside }
                throw usageFailure("\(sanitize(path)): no such file or folder, here or in the content folder \(sanitize(named)).", command: "check")
            }
            throw usageFailure("\(sanitize(path)): no such file or folder.", command: "check")
        }
    }

    /// Files named by `paths`, or every bundled lesson and exercise file when there are none.
    static func collect(paths: [String], content: ContentOptions) throws -> CheckTargets {
        var targets = CheckTargets()
        if paths.isEmpty {
            let root = try content.root()
            targets.base = root
            for name in ["lessons", "exercises"] {
                if let problem = folderProblem(root.appendingPathComponent(name)) {
                    Standard.error("error: \(root.appendingPathComponent(name).path) \(problem)")
                    throw ExitCode.failure
                }
            }
            targets.add(folder: root.appendingPathComponent("lessons"), recursive: false, exercises: false)
            targets.add(folder: root.appendingPathComponent("exercises"), recursive: true, lessons: false)
            return targets
        }
        targets.base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                targets.add(folder: url, recursive: true)
            } else if url.lastPathComponent == "course.yaml" {
                targets.courses.append(url)
            } else if url.pathExtension == "md" {
                targets.lessons.append(url)
            } else if ["yaml", "yml"].contains(url.pathExtension) {
                targets.exercises.append(url)
            } else {
                throw usageFailure("\(sanitize(path)): not a lesson (.md) or an exercise file (.yaml); check can't prove it.", command: "check")
            }
        }
        if targets.lessons.isEmpty && targets.exercises.isEmpty && targets.courses.isEmpty {
            throw usageFailure("nothing to check in \(paths.joined(separator: ", ")): no lessons (.md) or exercise files (.yaml, .yml) there.",
                               command: "check")
        }
        return targets
    }

    /// Why `url`, which a content folder holds, is not a folder to read (a file, a link to nothing,
    /// a loop), or nil when it is a folder or is not there at all.
    static func folderProblem(_ url: URL) -> String? {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        guard stat(url.path, &info) == 0 else {
            return errno == ELOOP ? "is a symbolic link loop, not a folder; remove or fix it."
                : "is a symbolic link to \((try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"), which does not exist; fix or remove it."
        }
        return info.st_mode & S_IFMT == S_IFDIR ? nil : "is not a folder; move it away so the content folder's \(url.lastPathComponent)/ can be read."
    }

    private mutating func add(folder: URL, recursive: Bool, lessons wantLessons: Bool = true, exercises wantExercises: Bool = true) {
        let manager = FileManager.default
        var files: [URL] = []
        if recursive {
            let walker = manager.enumerator(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            while let next = walker?.nextObject() as? URL { files.append(next) }
        } else {
            files = (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])) ?? []
        }
        for file in files.sorted(by: { $0.path < $1.path }) {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if wantLessons, file.pathExtension == "md" { lessons.append(file) }
            // lessons/course.yaml orders the course; it is not an exercise file.
            if wantExercises, ["yaml", "yml"].contains(file.pathExtension), file.lastPathComponent != "course.yaml" { exercises.append(file) }
        }
    }

    /// How `url` is named in diagnostics: relative to `base` when inside it.
    func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        guard let base else { return path }
        let prefix = base.standardizedFileURL.path.hasSuffix("/") ? base.standardizedFileURL.path : base.standardizedFileURL.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// The outcome of a check run, as text or JSON.
struct CheckSummary {
    var lessons: LessonCheckReport
    var exercises: ExerciseCheckReport?
    var diagnostics: [Diagnostic]

    var errors: Int { diagnostics.filter { $0.severity == .error }.count }
    var passed: Bool { errors == 0 }

    static func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? word : plural ?? word + "s")"
    }

    var text: String {
        var parts: [String] = []
        if lessons.lessons > 0 || exercises == nil {
            var claims = lessons.claimsProved + lessons.claimsSkipped == lessons.claims
                ? "\(CheckSummary.plural(lessons.claimsProved, "claim")) proved"
                : "\(lessons.claimsProved) of \(CheckSummary.plural(lessons.claims, "claim")) proved"
            if lessons.claimsSkipped > 0 {
                claims += ", \(lessons.claimsSkipped) skipped (model not found)"
            }
            parts.append("\(claims) in \(CheckSummary.plural(lessons.lessons, "lesson"))"
                         + (lessons.bindings > lessons.lessons ? " (\(lessons.bindings) evaluations: defaults and each model)" : ""))
        }
        var files = ""
        if let exercises {
            var all = Coverage()
            for (path, coverage) in exercises.coverage.sorted(by: { $0.key < $1.key }) {
                all.add(coverage)
                files += "\(path): \(CheckSummary.plural(coverage.exercises, "exercise")), \(coverage.summary)\n"
            }
            parts.append("\(CheckSummary.plural(exercises.exercises, "exercise")) in \(CheckSummary.plural(exercises.files, "file")) \(all.summary)")
        }
        let counts = parts.joined(separator: "; ")
        return files + (passed ? counts + "." : "\(CheckSummary.plural(errors, "error")). \(counts.prefix(1).uppercased() + counts.dropFirst()).")
    }

    struct JSONDiagnostic: Encodable {
        var path: String
        var line: Int
        var column: Int
        var severity: String
        var message: String
    }

    struct JSONFile: Encodable {
        var path: String
        var exercises: Int
        var proved: Int
        var total: Int
        var sampled: Bool
    }

    struct JSONReport: Encodable {
        var passed: Bool
        var errors: Int
        var diagnostics: [JSONDiagnostic]
        var lessons: Int
        var claims: Int
        var claimsProved: Int
        var claimsSkipped: Int
        var exerciseFiles: Int
        var exercises: Int
        var variants: Int
        var variantsTotal: Int
        var sampled: Bool
        var files: [JSONFile]
    }

    func json() throws -> String {
        let coverage = (exercises?.coverage ?? [:]).sorted { $0.key < $1.key }
        var all = Coverage()
        for (_, part) in coverage { all.add(part) }
        let report = JSONReport(
            passed: passed, errors: errors,
            diagnostics: diagnostics.map {
                JSONDiagnostic(path: $0.location.path, line: $0.location.line, column: $0.location.column,
                               severity: $0.severity.rawValue, message: $0.message)
            },
            lessons: lessons.lessons, claims: lessons.claims, claimsProved: lessons.claimsProved, claimsSkipped: lessons.claimsSkipped,
            exerciseFiles: exercises?.files ?? 0, exercises: exercises?.exercises ?? 0, variants: exercises?.variants ?? 0,
            variantsTotal: all.total, sampled: all.sampled,
            files: coverage.map { JSONFile(path: $0.key, exercises: $0.value.exercises, proved: $0.value.proved, total: $0.value.total, sampled: $0.value.sampled) })
        return try JSONText.encode(report, pretty: false)
    }
}
