import ArgumentParser
import MarkdownTerminal

/// The `mhalearn` command: lessons, practice and proofs for multi-head attention.
@main
struct MhaLearn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mhalearn",
        abstract: "Learn multi-head attention in the terminal, with every number computed by a live attention core.",
        discussion: """
        Start with `mhalearn lesson multi-head`, then `mhalearn practice`.
        Instructors write lessons/*.md and exercises/**/*.yaml and run `mhalearn check`.
        """,
        version: "0.1.0",
        subcommands: [
            LessonCommand.self,
            PracticeCommand.self,
            CheckCommand.self,
            NewCommand.self,
            GradeCommand.self,
            ShapesCommand.self,
            ModelCommand.self,
            HeadsCommand.self,
            ProgressCommand.self,
        ]
    )

    /// Runs the command line, first catching a misspelt command name so that it gets a
    /// "did you mean" instead of argument-parser's bare "Unexpected argument".
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"), first != "help" {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            if !names.contains(first) {
                var message = "unknown command '\(sanitize(first))'"
                message += LessonCatalog.closest(to: first, among: names).map { "; did you mean '\($0)'?" } ?? "."
                message += " Commands: " + names.joined(separator: ", ") + "; see 'mhalearn --help'."
                exit(withError: usageFailure(message, command: nil))
            }
        }
        main(arguments)
    }
}
