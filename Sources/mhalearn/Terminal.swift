import Foundation
import MarkdownTerminal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the process knows about where its standard output goes.
struct TerminalFacts {
    /// Whether standard output is a terminal.
    var isTerminal: Bool
    /// The terminal's size in columns and rows, when the terminal reports one.
    var size: (columns: Int, rows: Int)?
    /// The environment variables.
    var environment: [String: String]

    /// The facts of the running process.
    static func current() -> TerminalFacts {
        var window = winsize()
        let size: (columns: Int, rows: Int)?
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 {
            size = (Int(window.ws_col), Int(window.ws_row))
        } else {
            size = nil
        }
        return TerminalFacts(isTerminal: isatty(STDOUT_FILENO) != 0, size: size, environment: ProcessInfo.processInfo.environment)
    }
}

/// How output is shown: colour, width, hyperlinks, pager; decided once from the options and the terminal.
struct TerminalSettings {
    var color: Bool
    var width: Int
    var rows: Int
    var pagerAllowed: Bool
    var hyperlinksAllowed: Bool
    var environment: [String: String]

    init(options: OutputOptions, facts: TerminalFacts = .current()) {
        let env = facts.environment
        color = TerminalSettings.colorEnabled(options.color, isTerminal: facts.isTerminal, environment: env)
        width = TerminalSettings.width(option: options.width, terminalColumns: facts.size?.columns, environment: env)
        rows = facts.size?.rows ?? Int(env["LINES"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 24
        pagerAllowed = facts.isTerminal && !options.noPager && env["TERM"] != "dumb"
        hyperlinksAllowed = color && facts.isTerminal
        environment = env
    }

    /// Colour for `choice`: `auto` means a terminal, `NO_COLOR` unset or empty, and `TERM` not `dumb`.
    static func colorEnabled(_ choice: ColorChoice, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return isTerminal && !noColor && environment["TERM"] != "dumb"
        }
    }

    /// The width: `--width N`, else the terminal's columns, else `COLUMNS`, else 80.
    static func width(option: Int?, terminalColumns: Int?, environment: [String: String]) -> Int {
        if let option { return option }
        if let terminalColumns, terminalColumns > 0 { return terminalColumns }
        if let columns = environment["COLUMNS"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), columns > 0 {
            return columns
        }
        return 80
    }

    /// The pager command: `$PAGER` when set and not empty, else `less -R`.
    static func pagerCommand(environment: [String: String]) -> String {
        if let pager = environment["PAGER"], !pager.trimmingCharacters(in: .whitespaces).isEmpty { return pager }
        return "less -R"
    }
}

/// Writes rendered documents to standard output, through a pager when they are taller than the screen.
enum TerminalOutput {
    /// Renders `document` with `settings` and shows it.
    static func show(_ document: MarkdownDocument, settings: TerminalSettings) {
        let plainLinks = TerminalRenderer(width: settings.width, color: settings.color).render(document)
        if settings.pagerAllowed, lineCount(plainLinks) > settings.rows, page(plainLinks, environment: settings.environment) {
            return
        }
        if settings.hyperlinksAllowed {
            write(TerminalRenderer(width: settings.width, color: true, hyperlinks: true).render(document))
        } else {
            write(plainLinks)
        }
    }

    static func lineCount(_ text: String) -> Int {
        text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// Writes text to standard output.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Pipes `text` through the pager; false when the pager could not be started (the caller then prints).
    static func page(_ text: String, environment: [String: String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", TerminalSettings.pagerCommand(environment: environment)]
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "R" }
        process.environment = env
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            return false
        }
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus != 127
    }
}
