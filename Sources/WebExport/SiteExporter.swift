import Foundation
import Exercises
import ExpressionLanguage
import Grading
import Lessons
import MarkdownTerminal

/// A lesson to publish: its name (file name without `.md`), where it was read, and its text.
public struct SiteLesson: Sendable {
    /// The lesson's name, which is also its page's name (`multi-head` -> `lessons/multi-head.html`).
    public var name: String
    /// The path diagnostics name (`lessons/multi-head.md`).
    public var path: String
    /// The Markdown text.
    public var source: String

    /// A lesson called `name`, read from `path`, with text `source`.
    public init(name: String, path: String, source: String) {
        self.name = name
        self.path = path
        self.source = source
    }
}

/// Why an export wrote nothing.
public enum ExportFailure: Error, Sendable, CustomStringConvertible {
    /// Lessons or exercises with located problems (the same `check` reports), or `show`s that
    /// cannot be drawn as HTML.
    case content([Diagnostic])
    /// The folder cannot be used: not empty without --force, not writable, not a folder.
    case folder(String)

    /// Every problem, one a line.
    public var description: String {
        switch self {
        case .content(let diagnostics): diagnostics.map(\.description).joined(separator: "\n")
        case .folder(let message): message
        }
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable {
    /// Every file written, relative to the folder, with its size in bytes.
    public var files: [(path: String, bytes: Int)]
    /// Lesson pages, practice pages, and questions (exercises plus checkpoints) posed.
    public var lessons = 0, sets = 0, questions = 0, variants = 0

    /// The total size of the export in bytes.
    public var bytes: Int { files.reduce(0) { $0 + $1.bytes } }
}

/// Publishes the course as static files: an index, a page per lesson and a practice page per set,
/// with the grader as WebAssembly. Every number is computed here, by the live core; every answer is
/// graded in the browser by the same Grading code the terminal runs.
public struct SiteExporter {
    /// The lessons in course order.
    public var lessons: [SiteLesson]
    /// The exercise bank (already checked).
    public var bank: ExerciseBank
    /// Variants exported per exercise on the practice pages.
    public var variants: Int
    /// The compiled grader.
    public var grader: [UInt8]

    /// An exporter of `lessons` and `bank` with `variants` variants of each exercise.
    public init(lessons: [SiteLesson], bank: ExerciseBank, variants: Int, grader: [UInt8]) {
        self.lessons = lessons
        self.bank = bank
        self.variants = variants
        self.grader = grader
    }

    /// The compiled grader bundled with mhalearn (built from Sources/Grading by scripts/build-wasm.sh).
    public static func bundledGrader() -> [UInt8]? {
        guard let url = Bundle.module.url(forResource: "grader", withExtension: "wasm"),
              let data = try? Data(contentsOf: url) else { return nil }
        return [UInt8](data)
    }

    /// Every page of the site, by relative path, or the located problems that stop it being built.
    public func pages() -> Result<[(path: String, contents: String)], ExportFailure> {
        var files: [(path: String, contents: String)] = []
        var diagnostics: [Diagnostic] = []
        var entries: [(name: String, title: String, summary: String)] = []
        let byID = Dictionary(bank.exercises.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let sets = bank.sets
        let nav = Navigation(lessons: lessons.map(\.name), sets: sets)
        for lesson in lessons {
            let evaluation = LessonEvaluation(source: lesson.source, path: lesson.path)
            diagnostics += evaluation.diagnostics.filter { $0.severity == .error }
            let title = evaluation.document.title ?? lesson.name
            var checkpointCount = 0
            let document = withCheckpoints(evaluation.document, path: lesson.path, exercises: byID, count: &checkpointCount, diagnostics: &diagnostics)
            switch document.html(drawing: { ($0 as? HTMLDrawable)?.html }) {
            case .success(let body):
                let page = PageShell.page(title: title, depth: 1, nav: nav, current: "lesson:" + lesson.name,
                                          body: "<article class=\"lesson\" data-lesson=\"\(HTMLText.escape(lesson.name))\">\n\(body)</article>")
                files.append(("lessons/\(lesson.name).html", page))
            case .failure(let undrawable):
                diagnostics += undrawable.positions.map {
                    Diagnostic(.error, at: SourceLocation(path: lesson.path, line: $0.line, column: $0.column),
                               "this `show` cannot be drawn as HTML; show a number, a table, a flow or a heatmap instead")
                }
            }
            entries.append((lesson.name, title, PageShell.summary(of: evaluation.document)))
        }
        var setCounts: [(name: String, count: Int)] = []
        for set in sets {
            var sections: [String] = []
            for exercise in bank.exercises(in: set) {
                switch questionHTML(exercise, seeds: Array(1...UInt64(max(variants, 1))), anchor: "q-" + exercise.id) {
                case .success(let html): sections.append(html)
                case .failure(let problems): diagnostics += problems.diagnostics
                }
            }
            setCounts.append((set, sections.count))
            let body = "<article class=\"practice\" data-set=\"\(HTMLText.escape(set))\">\n<h1>Practice: \(HTMLText.escape(set))</h1>\n"
                + "<p>\(sections.count) questions, \(variants) variant\(variants == 1 ? "" : "s") of each. Type an answer as you would in the terminal: "
                + "<code>64</code>, <code>768/12</code>, <code>[11, 64]</code>, <code>b</code>. Your progress stays in this browser.</p>\n"
                + "<noscript><p class=\"note\">Without JavaScript the questions cannot be graded here; each shows its hints and its answer below it.</p></noscript>\n"
                + sections.joined(separator: "\n") + "</article>"
            files.append(("practice/\(set).html", PageShell.page(title: "Practice: \(set)", depth: 1, nav: nav, current: "set:" + set, body: body)))
        }
        guard diagnostics.isEmpty else { return .failure(.content(diagnostics)) }
        files.append(("index.html", PageShell.index(lessons: entries, sets: setCounts, nav: nav)))
        guard let style = SiteAssets.resource("style", "css"), let script = SiteAssets.resource("app", "js") else {
            return .failure(.folder("mhalearn's page style and script are missing from its install; reinstall mhalearn."))
        }
        files.append(("assets/style.css", style))
        files.append(("assets/app.js", script))
        files.append(("assets/grader.js", "window.MHALEARN_GRADER=\"" + Data(grader).base64EncodedString() + "\";\n"))
        return .success(files)
    }

    /// The lesson with each checkpoint replaced by its question, drawn as the practice page draws it.
    func withCheckpoints(_ document: MarkdownDocument, path: String, exercises: [String: Exercise],
                         count: inout Int, diagnostics: inout [Diagnostic]) -> MarkdownDocument {
        var blocks: [Block] = []
        for block in document.blocks {
            guard case let .codeBlock(info, code, position) = block, Checkpoint.isCheckpoint(info) else {
                blocks.append(block)
                continue
            }
            guard case .success(let checkpoint) = Checkpoint.parse(code, line: position.line), let exercise = exercises[checkpoint.id] else {
                diagnostics.append(Diagnostic(.error, at: SourceLocation(path: path, line: position.line + 1, column: 1),
                                              "this checkpoint names no exercise in the bank; run `mhalearn check`"))
                continue
            }
            count += 1
            switch questionHTML(exercise, seeds: [checkpoint.seed], anchor: "checkpoint-\(count)") {
            case .success(let html): blocks.append(.custom(RawHTMLBlock(html: "<aside class=\"checkpoint\" aria-label=\"Checkpoint\">\n\(html)</aside>\n"), position: position))
            case .failure(let problems): diagnostics += problems.diagnostics
            }
        }
        return MarkdownDocument(blocks: blocks)
    }

    /// The question for `exercise` with one variant per seed.
    func questionHTML(_ exercise: Exercise, seeds: [UInt64], anchor: String) -> Result<String, ExerciseProblems> {
        let space: VariantSpace
        switch VariantSpace.build(for: exercise) {
        case .success(let built): space = built
        case .failure(let problems): return .failure(problems)
        }
        var variants: [ExportedVariant] = []
        for seed in seeds {
            switch Question.make(exercise, space: space, seed: seed) {
            case .success(let question): variants.append(ExportedVariant(question: question))
            case .failure(let problems): return .failure(problems)
            }
        }
        return .success(QuestionHTML(exercise: exercise, variants: variants, anchor: anchor).html)
    }

    /// Writes the site into `folder`: refused when the folder is not empty (unless `force`), cannot
    /// be created or written, or the content has problems; in each case nothing is written.
    public func export(to folder: URL, force: Bool) -> Result<ExportSummary, ExportFailure> {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return .failure(.folder("\(folder.path) is a file, not a folder; name a new or empty folder.")) }
            let contents = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
            if !contents.isEmpty, !force {
                return .failure(.folder("\(folder.path) is not empty (\(contents.count) item\(contents.count == 1 ? "" : "s")); name an empty folder, or add --force to write over it."))
            }
            guard fm.isWritableFile(atPath: folder.path) else { return .failure(.folder("\(folder.path) is not writable; choose a folder you can write to.")) }
        }
        let built: [(path: String, contents: String)]
        switch pages() {
        case .success(let files): built = files
        case .failure(let failure): return .failure(failure)
        }
        var summary = ExportSummary(files: [])
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in built {
                let url = folder.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let data = Data(file.contents.utf8)
                try data.write(to: url, options: .atomic)
                summary.files.append((file.path, data.count))
            }
        } catch {
            return .failure(.folder("could not write \(folder.path): \((error as NSError).localizedDescription)"))
        }
        summary.lessons = built.filter { $0.path.hasPrefix("lessons/") }.count
        summary.sets = built.filter { $0.path.hasPrefix("practice/") }.count
        summary.questions = bank.exercises.count
        summary.variants = bank.exercises.count * variants
        return .success(summary)
    }
}

/// HTML made elsewhere on the page, placed as it is.
struct RawHTMLBlock: TerminalBlock, HTMLDrawable {
    let html: String
    func lines(width: Int, style: TerminalStyle) -> [String] { [] }
}
