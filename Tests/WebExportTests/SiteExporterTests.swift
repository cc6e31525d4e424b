import Foundation
import Testing
@testable import WebExport
import Exercises
import Lessons
import MarkdownTerminal

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-web-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    return url
}

/// The bundled lessons in course order (lessons/course.yaml).
func bundledLessons() throws -> [SiteLesson] {
    let course = try String(contentsOf: packageRoot.appendingPathComponent("lessons/course.yaml"), encoding: .utf8)
    let names = course.split(separator: "\n").compactMap { line -> String? in
        let text = line.trimmingCharacters(in: .whitespaces)
        return text.hasPrefix("- ") ? String(text.dropFirst(2)) : nil
    }
    return try names.map { name in
        SiteLesson(name: name, path: "lessons/\(name).md",
                   source: try String(contentsOf: packageRoot.appendingPathComponent("lessons/\(name).md"), encoding: .utf8))
    }
}

func exporter(lessons: [SiteLesson], variants: Int = 2) throws -> SiteExporter {
    let bank = ExerciseBank.load(root: packageRoot.appendingPathComponent("exercises"), relativeTo: packageRoot)
    let grader = try #require(SiteExporter.bundledGrader())
    return SiteExporter(lessons: lessons, bank: bank, variants: variants, grader: grader)
}

/// Every value a lesson's `= EXPR` spans gave, as the terminal shows them.
func inlineValues(_ blocks: [Block]) -> [String] {
    func inlines(_ content: [Inline]) -> [String] {
        content.flatMap { inline -> [String] in
            switch inline {
            case .value(let text): [text]
            case .emphasis(let children), .strong(let children): inlines(children)
            case .link(_, _, let children): inlines(children)
            default: []
            }
        }
    }
    return blocks.flatMap { block -> [String] in
        switch block {
        case .heading(_, let content, _), .paragraph(let content, _): inlines(content)
        case .blockQuote(let children, _): inlineValues(children)
        case .list(let list, _): list.items.flatMap { inlineValues($0.blocks) }
        default: []
        }
    }
}

@Suite("SiteExporter")
struct SiteExporterTests {
    @Test("the bundled course exports: an index in course order, a page per lesson and per set, the style, the script and the grader")
    func exportsTheCourse() throws {
        let lessons = try bundledLessons()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = try exporter(lessons: lessons).export(to: folder, force: false).get()
        let paths = Set(summary.files.map(\.path))
        #expect(paths.isSuperset(of: ["index.html", "assets/style.css", "assets/app.js", "assets/grader.js"]))
        for lesson in lessons { #expect(paths.contains("lessons/\(lesson.name).html")) }
        for set in ["attention", "multi-head", "kv-cache"] { #expect(paths.contains("practice/\(set).html")) }
        let index = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        let positions = lessons.compactMap { index.range(of: "href=\"lessons/\($0.name).html\"")?.lowerBound }
        #expect(positions.count == lessons.count && positions == positions.sorted(), "lessons in course order")
        for page in paths where page.hasSuffix(".html") {
            let html = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
            #expect(!html.contains("http://") && !html.contains("https://") || !html.contains("src=\"http"), "\(page) loads nothing from the network")
            #expect(html.contains("<meta name=\"viewport\""), "\(page) is sized for phones")
        }
    }

    @Test("every number a lesson states in the terminal is on its page, computed at export")
    func numbersMatchTheTerminal() throws {
        let lessons = try bundledLessons()
        let pages = try exporter(lessons: lessons).pages().get()
        for lesson in lessons {
            let evaluation = LessonEvaluation(source: lesson.source, path: lesson.path)
            let html = try #require(pages.first { $0.path == "lessons/\(lesson.name).html" }).contents
            let values = inlineValues(evaluation.document.blocks)
            #expect(!values.isEmpty)
            for value in values { #expect(html.contains(HTMLText.escape(value)), "\(lesson.name): \(value)") }
            #expect(!html.contains("<code>= "), "\(lesson.name): a `= EXPR` span left unevaluated")
            #expect(!html.contains("class=\"language-mha\""), "\(lesson.name): an mha block left as code")
        }
    }

    @Test("a folder that is not empty is refused unless forced, and nothing is written")
    func refusesAFullFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let site = try exporter(lessons: [SiteLesson(name: "tiny", path: "lessons/tiny.md", source: "# Tiny\n\nTwo is `= 1 + 1`.\n")])
        guard case .failure(.folder(let message)) = site.export(to: folder, force: false) else {
            Issue.record("a full folder was written into")
            return
        }
        #expect(message.contains("not empty") && message.contains("--force"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
        _ = try site.export(to: folder, force: true).get()
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lessons/tiny.html").path))
        let page = try String(contentsOf: folder.appendingPathComponent("lessons/tiny.html"), encoding: .utf8)
        #expect(page.contains("Two is 2."))
    }

    @Test("a folder that cannot be written is refused with a sentence")
    func refusesAReadOnlyFolder() throws {
        guard getuid() != 0 else { return }  // root writes anywhere
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o555])
        let site = try exporter(lessons: [SiteLesson(name: "tiny", path: "lessons/tiny.md", source: "# Tiny\n")])
        guard case .failure(.folder(let message)) = site.export(to: folder, force: false) else {
            Issue.record("a read-only folder was accepted")
            return
        }
        #expect(message.contains("not writable"))
    }

    @Test("a lesson whose expression fails is refused at its file:line:col, and nothing is written")
    func refusesBrokenContent() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = try exporter(lessons: [SiteLesson(name: "broken", path: "lessons/broken.md", source: "# Broken\n\nWidth `= mha(d_model: 8, heads: 2, tokens: 3).nope`.\n")])
        guard case .failure(.content(let diagnostics)) = site.export(to: folder, force: false) else {
            Issue.record("broken content was exported")
            return
        }
        #expect(diagnostics.first?.description.hasPrefix("lessons/broken.md:3:") == true, "\(diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("a block that cannot be drawn as HTML is reported where it starts, not left blank")
    func undrawableBlock() {
        struct Opaque: TerminalBlock { func lines(width: Int, style: TerminalStyle) -> [String] { ["x"] } }
        let document = MarkdownDocument(blocks: [.custom(Opaque(), position: SourcePosition(line: 7, column: 1))])
        guard case .failure(let undrawable) = document.html(drawing: { ($0 as? HTMLDrawable)?.html }) else {
            Issue.record("an opaque block was drawn")
            return
        }
        #expect(undrawable.positions == [SourcePosition(line: 7, column: 1)])
    }

    @Test("show values become tables: a flow, a heatmap with the terminal's key, a table")
    func showsAsHTML() throws {
        let source = """
        # Shows

        ```mha
        layer = mha(d_model: 16, heads: 2, tokens: 3)
        show layer.flow
        show layer.weights_from(0)
        show table(["name", "value"], ["d_k", layer.d_k])
        ```
        """
        let pages = try exporter(lessons: [SiteLesson(name: "shows", path: "lessons/shows.md", source: source)]).pages().get()
        let html = try #require(pages.first { $0.path == "lessons/shows.html" }).contents
        #expect(html.contains("<figure class=\"flow\">"))
        #expect(html.contains("<figure class=\"heatmap\">") && html.contains("Key:") && html.contains("class=\"level"))
        #expect(html.contains("<table class=\"values\">") && html.contains("<td class=\"number\">8</td>"))
    }
}
