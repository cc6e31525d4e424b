import ArgumentParser

/// Placeholder for `mhalearn shapes`, replaced by its owner.
struct ShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shapes", abstract: "Not built yet.")

    func run() throws {
        throw CleanExit.message("mhalearn shapes is not built yet.")
    }
}
