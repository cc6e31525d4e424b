import ArgumentParser

/// Placeholder for `mhalearn lesson`, replaced by its owner.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lesson", abstract: "Not built yet.")

    func run() throws {
        throw CleanExit.message("mhalearn lesson is not built yet.")
    }
}
