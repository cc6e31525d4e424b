import ArgumentParser

/// Placeholder for `mhalearn progress`, replaced by its owner.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "progress", abstract: "Not built yet.")

    func run() throws {
        throw CleanExit.message("mhalearn progress is not built yet.")
    }
}
