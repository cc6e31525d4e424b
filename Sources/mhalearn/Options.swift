import ArgumentParser
import Foundation

/// How the user wants colour decided.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Options shared by every command that writes text for a person to read.
struct OutputOptions: ParsableArguments {
    @Option(help: "Use colour: auto (only on a terminal, honouring NO_COLOR and TERM=dumb), always or never.")
    var color: ColorChoice = .auto

    @Option(help: "Wrap text to N columns (default: the terminal's width, else $COLUMNS, else 80).")
    var width: Int?

    @Flag(help: "Never send output through a pager.")
    var noPager = false

    func validate() throws {
        if let width, width < 20 || width > 1000 {
            throw ValidationError("--width must be between 20 and 1000 columns; got \(width).")
        }
    }
}

/// Where bundled lessons and exercises are looked up.
struct ContentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read lessons/ and exercises/ from DIR instead of the bundled content (also: $MHALEARN_HOME).", valueName: "DIR"))
    var content: String?

    /// The content folder, resolved as `ContentLocator` describes.
    func root() throws -> URL {
        try ContentLocator.locate(explicit: content)
    }
}
