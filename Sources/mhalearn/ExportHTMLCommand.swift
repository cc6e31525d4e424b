import ArgumentParser
import Exercises
import Foundation
import Lessons
import MarkdownTerminal
import WebExport

/// `mhalearn export html DIR`: the whole course as static files a browser opens from disk.
struct ExportHTMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html",
        abstract: "Write the course as a static web site: lessons, live numbers and graded questions.",
        discussion: """
        Writes DIR/index.html (the lessons in course order, the practice sets and the reviews due), \
        a page per lesson (lessons/NAME.html, its checkpoints asked in place) and a practice page \
        per set (practice/SET.html, each exercise with --variants seeded variants). Every number \
        is computed now by the attention core, exactly as `mhalearn lesson` computes it; answers \
        are graded in the browser by grader.wasm, the same grader as `mhalearn practice`, \
        compiled to WebAssembly. No server and no network: open DIR/index.html from disk or copy \
        DIR to any static host. Progress stays in the browser; its "Download progress" file \
        merges into the terminal's record with `mhalearn progress --import FILE`.

        The content is checked first, as `mhalearn check` checks it; if anything fails, the same \
        located errors are printed and nothing is written. DIR must be new or empty unless --force.

        Examples:
          mhalearn export html site/
          mhalearn export html site/ --force --variants 5
          mhalearn export html /media/usb/course --content ~/my-course
        """
    )

    @Argument(help: ArgumentHelp("The folder to write the site into (created if missing).", valueName: "DIR"))
    var directory: String

    @Flag(help: "Write into DIR even if it is not empty (files of the same name are replaced).")
    var force = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Seeded variants of each exercise on the practice pages.", valueName: "N"))
    var variants = 20

    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        if !(1...200).contains(variants) {
            throw ValidationError("--variants must be between 1 and 200; got \(variants).")
        }
    }

    func run() throws {
        let started = Date()
        let root = try contentOptions.root()
        Standard.error("Checking the course…")
        var checker = try CheckCommand.parse(["--content", root.path])
        checker.contentOptions = contentOptions
        let targets = try CheckTargets.collect(paths: [], content: contentOptions)
        let summary = checker.check(targets)
        if !summary.passed {
            Standard.error(summary.diagnostics.map { "\($0)\n" }.joined())
            Standard.error("error: the course does not pass `mhalearn check`; nothing was written to \(sanitize(directory)).")
            throw ExitCode.failure
        }
        guard let grader = SiteExporter.bundledGrader() else {
            Standard.error("error: grader.wasm is missing from this install of mhalearn; rebuild it (scripts/build-wasm.sh) or reinstall.")
            throw ExitCode.failure
        }
        let lessons = try Course.load(root: root).ordered(LessonCatalog.lessons(in: root)).map { entry in
            SiteLesson(name: entry.name, path: "lessons/\(entry.url.lastPathComponent)", source: try LessonCatalog.read(entry.url))
        }
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        Standard.error("Writing \(lessons.count) lessons and \(bank.sets.count) practice sets (\(bank.exercises.count) exercises × \(variants) variants)…")
        let exporter = SiteExporter(lessons: lessons, bank: bank, variants: variants, grader: grader)
        switch exporter.export(to: URL(fileURLWithPath: directory), force: force) {
        case .success(let written):
            let megabytes = Double(written.bytes) / 1_000_000
            let seconds = Date().timeIntervalSince(started)
            Standard.output("Wrote \(written.files.count) files (\(String(format: "%.2f", megabytes)) MB) to \(sanitize(directory)) in \(String(format: "%.1f", seconds)) s: "
                            + "\(written.lessons) lesson pages, \(written.sets) practice pages, \(written.questions) exercises × \(variants) variants.\n"
                            + "Open \(sanitize(directory))/index.html in a browser.\n")
        case .failure(.content(let diagnostics)):
            Standard.error(diagnostics.map { "\($0)\n" }.joined())
            Standard.error("error: nothing was written to \(sanitize(directory)).")
            throw ExitCode.failure
        case .failure(.folder(let message)):
            Standard.error("error: \(sanitize(message))")
            throw ExitCode.failure
        }
    }
}
