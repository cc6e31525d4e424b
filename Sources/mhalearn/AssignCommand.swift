import ArgumentParser
import Exercises
import Foundation
import MarkdownTerminal

/// `mhalearn assign SET|TOPIC|ID… --learners roster.csv --out DIR`: a set handed to a class.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Hand exercises to a class: per-learner variants, answer-file templates and printable sheets.",
        discussion: """
        Each learner in the roster (a CSV: the learner id first, then optionally a name; a header \
        row `id,name` is allowed) gets their own seed, so neighbours get different numbers. DIR \
        receives answers/ID.txt, the answers file the learner fills in and hands back (each \
        question's prompt as comments, its variant seed, and an empty `id:` line for the answer), \
        and sheets/ID.txt, the same questions to print. `mhalearn grade DIR/answers` grades the \
        filled files as they are. The same roster, selection and --seed give the same variants \
        again; existing files are not overwritten unless --force.

        Examples:
          mhalearn assign multi-head --learners class.csv --out week3
          mhalearn assign attention kv-cache --learners class.csv --count 5 --seed 42 --out quiz
          mhalearn grade week3/answers --csv grades.csv
        """
    )

    @Argument(help: ArgumentHelp("Sets, topics or exercise ids to assign.", valueName: "SET|TOPIC|ID"))
    var names: [String] = []

    @Option(help: ArgumentHelp("The class list: a CSV with the learner id first.", valueName: "FILE"))
    var learners: String

    @Option(help: ArgumentHelp("Questions per learner, chosen per learner from the selection (default: all of it).", valueName: "N"))
    var count: Int?

    @Option(help: ArgumentHelp("The assignment's seed (default: a random one, printed so the assignment can be made again).", valueName: "S"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("The folder to write answers/ and sheets/ into.", valueName: "DIR"))
    var out: String

    @Flag(help: "Overwrite files an earlier assign wrote.")
    var force = false

    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        if names.isEmpty { throw ValidationError("name what to assign: a set, a topic or exercise ids (`mhalearn practice --list` lists them).") }
        if let count, !(1...1000).contains(count) { throw ValidationError("--count must be 1 to 1000; \(count) is out of range.") }
    }

    func run() throws {
        let root = try contentOptions.root()
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        for diagnostic in bank.diagnostics { Standard.error("\(diagnostic)") }
        let exercises: [Exercise]
        switch bank.select(names) {
        case .success(let found): exercises = found
        case .failure(let error): throw usageFailure(error.description, command: "assign")
        }
        guard let data = FileManager.default.contents(atPath: learners), data.count <= LearnerAnswers.maximumBytes,
              let text = String(data: data, encoding: .utf8) else {
            throw usageFailure("\(learners): cannot be read as UTF-8 text (a CSV of learner ids, at most 4 MB).", command: "assign")
        }
        let roster: Roster
        switch Roster.read(text) {
        case .success(let read): roster = read
        case .failure(let error): throw usageFailure("\(learners):\(error.line): \(error.message)", command: "assign")
        }
        let chosenSeed = seed ?? UInt64.random(in: 0...999_999)
        let (assignments, problems) = Assignment.make(exercises, roster: roster, count: count, seed: chosenSeed)
        for problem in problems { Standard.error("\(problem)") }
        if !problems.isEmpty {
            Standard.error("error: some exercises cannot be drawn (above); run `mhalearn check` and fix them before assigning.")
            throw ExitCode.failure
        }
        let folder = URL(fileURLWithPath: out)
        let answers = folder.appendingPathComponent("answers"), sheets = folder.appendingPathComponent("sheets")
        if !force {
            for assignment in assignments {
                let file = answers.appendingPathComponent(assignment.learner.id + ".txt")
                if FileManager.default.fileExists(atPath: file.path) {
                    throw usageFailure("\(file.path) already exists (an earlier assign?); choose another --out or add --force (nothing was written).", command: "assign")
                }
            }
        }
        let title = names.joined(separator: ", ")
        do {
            try FileManager.default.createDirectory(at: answers, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: sheets, withIntermediateDirectories: true)
            for assignment in assignments {
                try Data(assignment.template(title: title).utf8).write(to: answers.appendingPathComponent(assignment.learner.id + ".txt"), options: .atomic)
                try Data(assignment.sheet(title: title).utf8).write(to: sheets.appendingPathComponent(assignment.learner.id + ".txt"), options: .atomic)
            }
        } catch {
            Standard.error("error: cannot write under \(out): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        let perLearner = assignments.first?.questions.count ?? 0
        Standard.output("Assigned \(perLearner) question\(perLearner == 1 ? "" : "s") to each of \(assignments.count) learner\(assignments.count == 1 ? "" : "s") (seed \(chosenSeed)): "
                        + "\(out)/answers/ID.txt to fill in, \(out)/sheets/ID.txt to print. Then: mhalearn grade \(out)/answers\n")
    }
}
