import ArgumentParser

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
            ShapesCommand.self,
            ModelCommand.self,
            HeadsCommand.self,
            ProgressCommand.self,
        ]
    )
}
