import ArgumentParser
import AttentionCore
import Foundation
import ExpressionLanguage
import Lessons
import LiveValues
import Reports
import MarkdownTerminal

/// `mhalearn lesson [NAME]`: renders a lesson, or lists the lessons when no name is given.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Read a lesson in the terminal.",
        discussion: """
        With no NAME, lists the lessons and their titles. NAME is a lesson's name from that list \
        (`mhalearn lesson multi-head`) or the path of a Markdown file. Long lessons open in $PAGER \
        (else `less -R`) when writing to a terminal; --no-pager prints them directly.

        Numbers in a lesson are computed as it renders: `= EXPR` spans and ```mha blocks run the \
        attention core. --source shows the lesson as written, directives included.

        Examples:
          mhalearn lesson                          # list the lessons
          mhalearn lesson multi-head               # read one
          mhalearn lesson multi-head --width 60 --color never --no-pager
          mhalearn lesson ./draft.md --source      # a file of your own, as written
        """
    )

    @Argument(help: "The lesson to read: a name from `mhalearn lesson`, or a path to a .md file.")
    var name: String?

    @Flag(help: "Show the lesson as written: `= EXPR` spans and ```mha blocks as source, nothing computed.")
    var source = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var content: ContentOptions

    func run() throws {
        guard let name else {
            let lessons = LessonCatalog.lessons(in: try content.root())
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
        let lesson = LessonEvaluation(document: document, source: text, path: file.path)
        let problems = lesson.diagnostics.filter { $0.severity == .error }
        if !problems.isEmpty {
            let report = problems.map { "\($0)\n" }.joined() + "(`mhalearn check \(file.path)` lists these problems.)\n"
            Standard.error(report)
        }
        TerminalOutput.show(lesson.document, settings: TerminalSettings(options: output))
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
        if let suggestion = LessonCatalog.closest(to: name, among: lessons.map(\.name)) {
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
