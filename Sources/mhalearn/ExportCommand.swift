import ArgumentParser
import Exercises
import Export
import Foundation
import MarkdownTerminal

/// `mhalearn export FORMAT …`: questions that leave mhalearn for an LMS or for Anki.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Publish the course in another form: Moodle (GIFT, XML), Canvas and Blackboard (QTI), Anki, or a web site.",
        discussion: """
        The question formats (gift, moodle, qti, anki) take the exercises to write as SET, TOPIC or exercise ID (any number; none \
        means every exercise) and --variants N, the variants of each exercise to write (spread \
        over its variants as `check --sheet --limit N` spreads them, with the same keys). Prompts, \
        feedback and explanations are written with their live values computed. An exercise a \
        format cannot express is listed on standard error with the reason, never dropped silently.

        Examples:
          mhalearn export gift multi-head --variants 3 --out multi-head.gift
          mhalearn export moodle multi-head --out multi-head.xml
          mhalearn export qti kv-cache --out kv-cache-qti.zip
          mhalearn export anki --variants 5 --out mhalearn.apkg
          mhalearn export html site/          # the course as a static web site
        """,
        subcommands: [GIFTExport.self, MoodleExport.self, QTIExport.self, AnkiExport.self, ExportHTMLCommand.self]
    )
}

/// What every export format takes.
struct ExportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Sets, topics or exercise ids to export (default: every exercise).", valueName: "SET|TOPIC|ID"))
    var names: [String] = []

    @Option(help: ArgumentHelp("Variants of each exercise to write, 1 to \(ExportSet.maximumVariants).", valueName: "N"))
    var variants = 3

    @Option(help: ArgumentHelp("The file to write.", valueName: "FILE"))
    var out: String

    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        guard (1...ExportSet.maximumVariants).contains(variants) else {
            throw ValidationError("--variants must be 1 to \(ExportSet.maximumVariants); \(variants) is out of range.")
        }
    }

    /// The exercises chosen, drawn; load problems are printed.
    func draw(command: String) throws -> ExportSet {
        let root = try contentOptions.root()
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        for diagnostic in bank.diagnostics { Standard.error(sanitize("\(diagnostic)")) }
        switch bank.select(names) {
        case .failure(let error): throw usageFailure(sanitize(error.description), command: "export \(command)")
        case .success(let exercises):
            guard !exercises.isEmpty else { throw usageFailure("no exercises in \(root.path)/exercises to export.", command: "export \(command)") }
            if exercises.count * variants > 200 { Standard.error("Drawing \(variants) variant\(variants == 1 ? "" : "s") of \(exercises.count) exercises…") }
            return ExportSet.draw(exercises, variants: variants)
        }
    }

    /// Writes `data` to `path` whole (through a temporary file), or says why not.
    func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            Standard.error(sanitize("error: cannot write \(path): \(error.localizedDescription)"))
            throw ExitCode.failure
        }
    }

    /// Reports what was written and what was left out; exits 1 when an exercise could not be drawn.
    func finish(_ result: ExportResult, set: ExportSet, wrote files: [String]) throws {
        for skip in result.skipped { Standard.error(sanitize("skipped \(skip.id): \(skip.reason)")) }
        let plural = { (count: Int, word: String) in "\(count) \(word)\(count == 1 ? "" : "s")" }
        Standard.error(sanitize("Wrote \(plural(result.questions, "question")) from \(plural(result.exercises, "exercise")) to \(files.joined(separator: " and "))"
                                + (result.skipped.isEmpty ? "." : "; skipped \(plural(result.skipped.count, "exercise")).")))
        if !set.skipped.isEmpty { throw ExitCode.failure }
    }
}

/// `mhalearn export gift`.
struct GIFTExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gift",
        abstract: "Write Moodle's GIFT text: a category per exercise, numbers with their tolerance, choices with feedback.",
        discussion: "Text answers are short-answer questions only when every accepted phrase is one word (mhalearn ignores spaces and punctuation in them; an exact match cannot); others are listed as skipped.")
    @OptionGroup var options: ExportOptions

    func run() throws {
        let set = try options.draw(command: "gift")
        let (text, result) = GIFTWriter.write(set)
        try options.write(Data(text.utf8), to: options.out)
        try options.finish(result, set: set, wrote: [options.out])
    }
}

/// `mhalearn export moodle`.
struct MoodleExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moodle",
        abstract: "Write Moodle XML: numerical, multichoice, short-answer, and calculated where the key is a formula Moodle evaluates.")
    @OptionGroup var options: ExportOptions

    func run() throws {
        let set = try options.draw(command: "moodle")
        let (text, result) = MoodleXMLWriter.write(set)
        try options.write(Data(text.utf8), to: options.out)
        try options.finish(result, set: set, wrote: [options.out])
    }
}

/// `mhalearn export qti`.
struct QTIExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qti",
        abstract: "Write an IMS QTI 1.2 zip (Canvas Classic and New Quizzes, Blackboard): a question group per exercise.")
    @OptionGroup var options: ExportOptions

    func run() throws {
        let set = try options.draw(command: "qti")
        let title = options.names.isEmpty ? "mhalearn" : "mhalearn: " + options.names.joined(separator: ", ")
        let (files, result) = QTIWriter.write(set, title: title)
        let data: Data
        do { data = try ZipFile.make(files.map { ($0.name, Data($0.contents.utf8)) }) } catch {
            Standard.error(sanitize("error: cannot make the zip: \(error)"))
            throw ExitCode.failure
        }
        try options.write(data, to: options.out)
        try options.finish(result, set: set, wrote: [options.out])
    }
}

/// `mhalearn export anki`.
struct AnkiExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anki",
        abstract: "Write an Anki deck (.apkg) and its tab-separated import file (.tsv beside it): one note per variant.")
    @OptionGroup var options: ExportOptions

    @Option(help: ArgumentHelp("The deck's name in Anki (default: mhalearn, then the names exported).", valueName: "NAME"))
    var deck: String?

    func run() throws {
        let set = try options.draw(command: "anki")
        let notes = AnkiWriter.notes(set)
        let name = deck ?? (options.names.isEmpty ? "mhalearn" : "mhalearn::" + options.names.joined(separator: "+"))
        let package: Data
        do { package = try AnkiWriter.package(notes, deck: name) } catch {
            Standard.error(sanitize("error: cannot make the Anki package: \(error)"))
            throw ExitCode.failure
        }
        let tsv = (options.out as NSString).deletingPathExtension + ".tsv"
        try options.write(package, to: options.out)
        try options.write(Data(AnkiWriter.tsv(notes).utf8), to: tsv)
        try options.finish(ExportResult(questions: notes.count, exercises: set.items.count, skipped: set.skipped), set: set, wrote: [options.out, tsv])
    }
}
