import ArgumentParser
import Exercises
import Practice
import Progress
import MarkdownTerminal
import Foundation
import Lessons
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `mhalearn` command: lessons, practice and proofs for multi-head attention.
@main
struct MhaLearn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mhalearn",
        abstract: "Learn multi-head attention in the terminal, with every number computed by a live attention core.",
        discussion: """
        At a terminal, `mhalearn` alone shows the course map and the command to run next.
        Start with `mhalearn lesson attention` (the first lesson of lessons/course.yaml), then `mhalearn practice`.
        Instructors write lessons/*.md and exercises/**/*.yaml and run `mhalearn check`.
        """,
        version: "0.1.0",
        subcommands: [
            LessonCommand.self,
            PracticeCommand.self,
            CheckCommand.self,
            ExportCommand.self,
            NewCommand.self,
            GradeCommand.self,
            AssignCommand.self,
            ShapesCommand.self,
            ModelCommand.self,
            HeadsCommand.self,
            ProgressCommand.self,
            CostCommand.self,
        ]
    )

    /// Runs the command line, first catching a misspelt command name so that it gets a
    /// "did you mean" instead of argument-parser's bare "Unexpected argument".
    static func main() {
        StandardStreams.reserveClosedDescriptors()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty, isatty(STDOUT_FILENO) != 0, CourseMapScreen.show() { return }
        if let first = arguments.first, !first.hasPrefix("-"), first != "help" {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            if !names.contains(first) {
                var message = "unknown command '\(sanitize(first))'"
                message += closest(first, in: names).map { "; did you mean '\($0)'?" } ?? "."
                message += " Commands: " + names.joined(separator: ", ") + "; see 'mhalearn --help'."
                finish(usageFailure(message, command: nil))
            }
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            finish(error)
        }
        Foundation.exit(0)
    }

    /// Ends the process for `error` as argument-parser would, but writing through `StandardStreams`
    /// (so a failed write is reported, never a trap) and making control characters in messages
    /// visible (argument-parser's messages quote what the user typed).
    static func finish(_ error: Error) -> Never {
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if !message.isEmpty {
            if code == .success {
                Standard.output(message.hasSuffix("\n") ? message : message + "\n")
            } else {
                Standard.error(message)
            }
        }
        Foundation.exit(code.rawValue)
    }
}
