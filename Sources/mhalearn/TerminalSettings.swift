import Foundation
import MarkdownTerminal
import Practice
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
        rows = facts.size.flatMap { $0.rows > 0 ? $0.rows : nil } ?? Int(env["LINES"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 24
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
        if let terminalColumns, terminalColumns > 0 { return max(terminalColumns, OutputOptions.widths.lowerBound) }
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
