import ArgumentParser

/// `mhalearn export FORMAT …`: the course in other forms (a web site; other formats join as subcommands).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Publish the course in another form.",
        discussion: """
        Examples:
          mhalearn export html site/          # the course as a static web site
        """,
        subcommands: [ExportHTMLCommand.self]
    )
}
