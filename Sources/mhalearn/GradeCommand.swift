import ArgumentParser
import Exercises
import Foundation
import MarkdownTerminal

/// `mhalearn grade DIR`: grades a folder of learners' answer files into a CSV and a report.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a class: a folder of learners' answer files into a CSV and a report.",
        discussion: """
        DIR holds one file per learner (the learner id is the file name without its extension). \
        Two formats are read:

          a `practice --json` transcript: the JSON lines practice prints; each "attempt" line \
        gives the exercise id, the question's seed and the answer typed;

          a plain answers file: `seed: N` (the seed the questions were drawn with), then one \
        `exercise-id: answer` line per attempt; a later `seed:` line applies to the answers below it; \
        lines starting with # are comments.

        Every answer is graded again against the exercise files (the grades a file claims are not \
        trusted), attempts counted as practice counts them. The CSV (one row per learner: learner, \
        score, first_try, then one column per exercise) goes to standard output, or to --csv FILE; \
        the report (per exercise: how many were right first try and the mistake made most often) \
        goes to standard error, or to standard output with --csv. A file that cannot be read is \
        named with the reason and skipped; the rest are graded. Exit status: 0 when every file was \
        graded, 1 when some were skipped, 64 for bad usage.

        Examples:
          mhalearn grade answers/ > grades.csv
          mhalearn grade answers/ --csv grades.csv
        """
    )

    @Argument(help: ArgumentHelp("The folder of answer files, one per learner.", valueName: "DIR"))
    var folder: String

    @Option(help: ArgumentHelp("Write the CSV to FILE, and the report to standard output.", valueName: "FILE"))
    var csv: String?

    @OptionGroup var contentOptions: ContentOptions

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw usageFailure("\(sanitize(folder)): not a folder; grade reads a folder of answer files, one per learner.", command: "grade")
        }
        let root = try contentOptions.root()
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        let files = ((try? FileManager.default.contentsOfDirectory(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isRegularFileKey],
                                                                 options: [.skipsHiddenFiles])) ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        if files.isEmpty {
            throw usageFailure("\(sanitize(folder)): no answer files in this folder.", command: "grade")
        }
        if files.count > 50 { Standard.error("Grading \(files.count) files…") }
        var learners: [LearnerAnswers] = []
        var unreadable: [(String, String)] = []
        for file in files {
            let name = file.lastPathComponent
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
            switch LearnerAnswers.read(text, learner: file.deletingPathExtension().lastPathComponent) {
            case .success(var answers):
                answers.file = name
                learners.append(answers)
            case .failure(let error): unreadable.append((name, error.description))
            }
        }
        var grades = ClassGrades.grade(learners, bank: bank.exercises)
        grades.skipped = unreadable.map { (name: $0.0, reason: $0.1) } + grades.skipped
        for (name, reason) in grades.skipped {
            Standard.error("\(folder.hasSuffix("/") ? folder : folder + "/")\(name): skipped: \(reason)")
        }
        if let csv {
            do {
                // Written to a temporary file beside it and renamed, so a failure never leaves a truncated CSV.
                try Data(grades.csv.utf8).write(to: URL(fileURLWithPath: csv), options: .atomic)
            } catch {
                Standard.error("error: cannot write \(csv): \(error.localizedDescription)")
                throw ExitCode.failure
            }
            Standard.output(sanitize(grades.report))
        } else {
            Standard.output(sanitize(grades.csv))
            Standard.error(grades.report)
        }
        if !grades.skipped.isEmpty { throw ExitCode.failure }
    }
}
