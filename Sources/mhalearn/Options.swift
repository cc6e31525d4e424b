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

    @Option(parsing: .unconditional, help: "Wrap text to N columns (default: the terminal's width, else $COLUMNS, else 80).")
    var width: Int?

    @Flag(help: "Never send output through a pager.")
    var noPager = false

    /// The widths accepted from `--width` and from `$COLUMNS` (a terminal narrower than this is
    /// treated as this wide).
    static let widths = 20...1000

    func validate() throws {
        if let width, !OutputOptions.widths.contains(width) {
            throw ValidationError("--width must be between 20 and 1000 columns; got \(width).")
        }
        let facts = TerminalFacts.current()
        if width == nil, facts.size == nil, let text = facts.environment["COLUMNS"],
           let columns = Int(text.trimmingCharacters(in: .whitespaces)), !OutputOptions.widths.contains(columns) {
            throw ValidationError("COLUMNS must be between 20 and 1000, as --width must; got \(columns). Unset it or pass --width N.")
        }
    }
}

/// Where bundled lessons and exercises are looked up.
struct ContentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read lessons/ and exercises/ from DIR instead of the bundled content (also: $MHALEARN_HOME).", valueName: "DIR"))
    var content: String?

    /// The content folder, resolved as `ContentLocator` describes; when there is none, the reason is
    /// printed and the command exits 64.
    func root() throws -> URL {
        do {
            return try ContentLocator.locate(explicit: content)
        } catch let error as ContentNotFound {
            throw usageFailure(error.message, command: nil)
        }
    }
}

/// A usage problem found while running (after argument parsing): printed on standard error as
/// `error: message` with a pointer to the command's help (when `command` is given), then exit status 64.
///
/// Throwing argument-parser's `ValidationError` from `run()` would print the root command's usage
/// line (`mhalearn <subcommand>`), which points the user to the wrong help.
func usageFailure(_ message: String, command: String?) -> ExitCode {
    Standard.error("error: \(message)" + (command.map { "\nSee 'mhalearn \($0) --help'." } ?? ""))
    return ExitCode(64)
}
