import ArgumentParser

/// Placeholder for `mhalearn heads`, replaced by its owner.
struct HeadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "heads", abstract: "Not built yet.")

    func run() throws {
        throw CleanExit.message("mhalearn heads is not built yet.")
    }
}
