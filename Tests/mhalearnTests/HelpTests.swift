import Testing

@Test("mhalearn --help names every command")
func helpNamesEveryCommand() throws {
    let result = try CLI.run(["--help"])
    #expect(result.status == 0)
    for command in ["lesson", "practice", "check", "shapes", "model", "heads", "progress"] {
        #expect(result.stdout.contains(command))
    }
}

@Test("every command's --help explains it and gives examples", arguments: ["lesson", "practice", "check", "shapes", "model", "heads", "progress"])
func everyCommandHelpHasExamples(command: String) throws {
    let result = try CLI.run([command, "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("OVERVIEW:"))
    #expect(result.stdout.contains("Examples:"))
    #expect(result.stdout.contains("mhalearn \(command)"))
}

@Test("an unknown subcommand or option exits 64 and points to help")
func unknownSubcommandIsUsage() throws {
    for arguments in [["lessn"], ["--bogus"], ["shapes", "--d-model", "768", "--heads", "12", "--bogus"]] {
        let result = try CLI.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--help"))
    }
}

@Test("a misspelt command gets the closest command name")
func misspeltCommandSuggests() throws {
    let result = try CLI.run(["practise"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("did you mean 'practice'?"))
}
