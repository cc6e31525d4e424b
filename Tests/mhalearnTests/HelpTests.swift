import Testing

@Test("mhalearn --help names every command")
func helpNamesEveryCommand() throws {
    let result = try CLI.run(["--help"])
    #expect(result.status == 0)
    for command in ["lesson", "practice", "check", "shapes", "model", "heads", "progress"] {
        #expect(result.stdout.contains(command))
    }
}
