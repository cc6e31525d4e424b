import ArgumentParser

/// Placeholder for `mhalearn practice`, replaced by its owner.
struct PracticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "practice", abstract: "Not built yet.")

    func run() throws {
        throw CleanExit.message("mhalearn practice is not built yet.")
    }
}
