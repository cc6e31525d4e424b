import ArgumentParser
import Exercises
import Foundation
import MarkdownTerminal
import Reports

/// `mhalearn grade DIR`: grades a folder of learners' answer files into a CSV and a report.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a class: a folder of learners' answer files into a CSV and a report.",
        discussion: """
        DIR holds one file per learner (the learner id is the file name without its extension). \
        Two formats are read:

          a `practice --json` transcript: the JSON lines practice prints; each "result" line \
        gives the exercise id, the question's seed, every answer typed and the hints used;

          a plain answers file (as `mhalearn assign` writes them): `variant-seed: N` (the seed \
        practice shows beside each question; `seed: N` means the same), or `session-seed: N` (the \
        seed a whole practice session was drawn with), then one `exercise-id: answer` line per \
        attempt; a later seed line applies to the answers below it; lines starting with # are \
        comments and empty answers are questions left unanswered.

        Files in subfolders are read too; names starting with a dot, README files and the sheets \
        `assign` prints are not learners. Every answer is graded again against the exercise files \
        (the grades a file claims are not trusted), and credited as practice credits it: 1 right at \
        the first try, halved for every retry and every hint. The CSV (one row per learner: \
        learner, score, first_try, then one column per exercise) goes to standard output, or to \
        --csv FILE; the report (per exercise: difficulty, discrimination, how many learners made \
        each mistake, unanticipated answers with a `wrong:` entry to paste, flags) goes to standard \
        error, or to standard output with --csv; --json prints the report as JSON instead and \
        --items FILE writes one CSV row per exercise. A file that cannot be read is named with the \
        reason and skipped; an answer to an exercise that is not in the files is warned about and \
        the rest of the file graded. Exit status: 0 when every answer was graded, 1 when a file or \
        an answer was skipped, 64 for bad usage.

        Examples:
          mhalearn grade answers/ > grades.csv
          mhalearn grade answers/ --csv grades.csv --items items.csv
          mhalearn grade answers/ --csv grades.csv --json > analysis.json
        """
    )
    @Argument(help: ArgumentHelp("The folder of answer files, one per learner.", valueName: "DIR"))
    var folder: String

    @Option(help: ArgumentHelp("Write the CSV to FILE, and the report to standard output.", valueName: "FILE"))
    var csv: String?

    @Option(help: ArgumentHelp("Write the item analysis, one CSV row per exercise, to FILE.", valueName: "FILE"))
    var items: String?

    @Flag(help: "Print the report (item analysis, skipped files, warnings) as JSON.")
    var json = false

    @OptionGroup var contentOptions: ContentOptions

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw usageFailure("\(sanitize(folder)): not a folder; grade reads a folder of answer files, one per learner.", command: "grade")
        }
        let root = try contentOptions.root()
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        let files = Self.answerFiles(in: URL(fileURLWithPath: folder))
        if files.isEmpty {
            throw usageFailure("\(sanitize(folder)): no answer files in this folder.", command: "grade")
        }
        if files.count > 50 { Standard.error("Grading \(files.count) files…") }
        var learners: [LearnerAnswers] = []
        var unreadable: [(String, String)] = []
        for (file, name) in files {
            let size = (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
            guard size <= LearnerAnswers.maximumBytes else {
                unreadable.append((name, "larger than \(LearnerAnswers.maximumBytes >> 20) MB; an answers file is a few kilobytes"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                unreadable.append((name, "cannot be read"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                unreadable.append((name, "not UTF-8 text"))
                continue
            }
            if text.hasPrefix(LearnerAnswers.sheetMarker) { continue }
            switch LearnerAnswers.read(text, learner: file.deletingPathExtension().lastPathComponent) {
            case .success(var answers):
                answers.file = name
                learners.append(answers)
            case .failure(let error): unreadable.append((name, error.description))
            }
        }
        var grades = ClassGrades.grade(learners, bank: bank.exercises)
        grades.skipped = unreadable.map { (name: $0.0, reason: $0.1) } + grades.skipped
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        for (name, reason) in grades.skipped {
            Standard.error("\(prefix)\(name): skipped: \(reason)")
        }
        for warning in grades.warnings {
            Standard.error("\(prefix)\(warning.file)\(warning.line.map { ":\($0)" } ?? ""): warning: \(warning.message)")
        }
        let analysis = ItemAnalysis(grades)
        if let items {
            do {
                try Data(analysis.csv.utf8).write(to: URL(fileURLWithPath: items), options: .atomic)
            } catch {
                Standard.error("error: cannot write \(items): \(error.localizedDescription)")
                throw ExitCode.failure
            }
        }
        let report = json ? Self.json(grades, analysis: analysis, folder: prefix) : grades.report
        if let csv {
            do {
                // Written to a temporary file beside it and renamed, so a failure never leaves a truncated CSV.
                try Data(grades.csv.utf8).write(to: URL(fileURLWithPath: csv), options: .atomic)
            } catch {
                Standard.error("error: cannot write \(csv): \(error.localizedDescription)")
                throw ExitCode.failure
            }
            Standard.output(json ? report : sanitize(report))
        } else {
            Standard.output(sanitize(grades.csv))
            StandardStreams.write(json ? report : sanitize(report), to: STDERR_FILENO)
        }
        if !grades.skipped.isEmpty || grades.warnings.contains(where: \.lostAnswers) { throw ExitCode.failure }
    }

    /// The answer files under `root`, with the name each is reported by (its path below `root`):
    /// subfolders included; dotfiles, dot-folders and README files left out.
    static func answerFiles(in root: URL) -> [(url: URL, name: String)] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { return [] }
        let base = root.standardizedFileURL.path
        var found: [(URL, String)] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let file = url.lastPathComponent
            if file.uppercased().hasPrefix("README") { continue }
            var name = url.standardizedFileURL.path
            if name.hasPrefix(base + "/") { name = String(name.dropFirst(base.count + 1)) }
            found.append((url, name))
        }
        return found.sorted { $0.1 < $1.1 }
    }

    /// The `--json` report: learners graded, skipped files, warnings and the item analysis.
    static func json(_ grades: ClassGrades, analysis: ItemAnalysis, folder: String) -> String {
        let object: [String: Any] = [
            "learners": grades.rows.count,
            "skipped": grades.skipped.map { ["file": folder + $0.name, "reason": $0.reason] },
            "warnings": grades.warnings.map { warning -> [String: Any] in
                ["file": folder + warning.file, "line": warning.line.map { $0 as Any } ?? NSNull(), "message": warning.message, "answers_lost": warning.lostAnswers]
            },
            "items": analysis.jsonObject,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return "{}\n" }
        return JSONText.escapingC1(String(decoding: data, as: UTF8.self)) + "\n"
    }
}
