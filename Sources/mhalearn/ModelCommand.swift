import ArgumentParser

/// Placeholder for `mhalearn model`, replaced by its owner.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Not built yet.")

    func run() throws {
        throw CleanExit.message("mhalearn model is not built yet.")
    }
}
