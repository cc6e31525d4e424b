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
        pretends so); skipped claims are counted but do not fail the check. In an exercise file, every exercise is drawn over many seeds: \
        its answer key must pass its own grader and each listed wrong answer must fail with its own \
        feedback.

        Every failure is printed as `file:line:col: error: message` on standard error, all of them \
        (and every skip as `file:line:col: note: …`), then a summary on standard output. Exit status: 0 when everything holds, 1 when anything \
        fails, 64 for bad usage (such as a path that does not exist).

        Examples:
          mhalearn check                          # all bundled content
          mhalearn check lessons/multi-head.md    # one lesson
          mhalearn check --json exercises/        # exercise files, as JSON
        """
    )

    @Argument(help: ArgumentHelp("Lessons (.md), exercise files (.yaml) or folders to check (default: all bundled content).", valueName: "PATH"))
    var paths: [String] = []

    @Flag(help: "Print one JSON object with every diagnostic and the counts, on standard output.")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Variants (seeds) to draw per exercise.", valueName: "N"))
    var seeds: Int = ExerciseChecker.defaultSeeds

    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        if !(1...10_000).contains(seeds) {
            throw ValidationError("--seeds must be between 1 and 10000; got \(seeds).")
        }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(sanitize(path)): no such file or folder.")
        }
    }

    func run() throws {
        let targets = try CheckTargets.collect(paths: paths, content: contentOptions)
        var lessons = LessonCheckReport()
        for lesson in targets.lessons {
            lessons.add(LessonChecker.check(fileAt: lesson, displayPath: targets.display(lesson)))
        }
        let exercises: ExerciseCheckReport? = targets.exercises.isEmpty
            ? nil : ExerciseChecker.check(filesAt: targets.exercises, seeds: seeds, relativeTo: targets.base)
        let diagnostics = lessons.diagnostics + (exercises?.diagnostics ?? [])
        let summary = CheckSummary(lessons: lessons, exercises: exercises, diagnostics: diagnostics)
        if json {
            Standard.output(try summary.json() + "\n")
        } else {
            if !diagnostics.isEmpty {
                Standard.error(diagnostics.map { "\($0)\n" }.joined())
            }
            Standard.output(summary.text + "\n")
        }
        if !summary.passed { throw ExitCode.failure }
    }
}

/// The files one `check` run looks at.
struct CheckTargets {
    var lessons: [URL] = []
    var exercises: [URL] = []
    /// The folder diagnostics are shown relative to (the content root, or the current folder).
    var base: URL?

    /// Files named by `paths`, or every bundled lesson and exercise file when there are none.
    static func collect(paths: [String], content: ContentOptions) throws -> CheckTargets {
        var targets = CheckTargets()
        if paths.isEmpty {
            let root = try content.root()
            targets.base = root
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
            } else if url.pathExtension == "md" {
                targets.lessons.append(url)
            } else if ["yaml", "yml"].contains(url.pathExtension) {
                targets.exercises.append(url)
            } else {
                throw usageFailure("\(sanitize(path)): not a lesson (.md) or an exercise file (.yaml); check can't prove it.", command: "check")
            }
        }
        if targets.lessons.isEmpty && targets.exercises.isEmpty {
            throw usageFailure("nothing to check in \(paths.joined(separator: ", ")): no lessons (.md) or exercise files (.yaml, .yml) there.",
                               command: "check")
        }
        return targets
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
            if wantExercises, ["yaml", "yml"].contains(file.pathExtension) { exercises.append(file) }
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
            parts.append("\(claims) in \(CheckSummary.plural(lessons.lessons, "lesson"))")
        }
        if let exercises {
            parts.append("\(CheckSummary.plural(exercises.exercises, "exercise")) in \(CheckSummary.plural(exercises.files, "file")) checked over \(CheckSummary.plural(exercises.variants, "variant"))")
        }
        let counts = parts.joined(separator: "; ")
        return passed ? counts + "." : "\(CheckSummary.plural(errors, "error")). \(counts.prefix(1).uppercased() + counts.dropFirst())."
    }

    struct JSONDiagnostic: Encodable {
        var path: String
        var line: Int
        var column: Int
        var severity: String
        var message: String
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
    }

    func json() throws -> String {
        let report = JSONReport(
            passed: passed, errors: errors,
            diagnostics: diagnostics.map {
                JSONDiagnostic(path: $0.location.path, line: $0.location.line, column: $0.location.column,
                               severity: $0.severity.rawValue, message: $0.message)
            },
            lessons: lessons.lessons, claims: lessons.claims, claimsProved: lessons.claimsProved, claimsSkipped: lessons.claimsSkipped,
            exerciseFiles: exercises?.files ?? 0, exercises: exercises?.exercises ?? 0, variants: exercises?.variants ?? 0)
        return try JSONText.encode(report, pretty: false)
    }
}
