import ArgumentParser

/// Placeholder for `mhalearn check`, replaced by its owner.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Not built yet.")

    func run() throws {
        throw CleanExit.message("mhalearn check is not built yet.")
    }
}
