import Testing
@testable import mhalearn
import MarkdownTerminal

@Test("auto colour needs a terminal, NO_COLOR unset or empty, and TERM not dumb")
func autoColour() {
    #expect(TerminalSettings.colorEnabled(.auto, isTerminal: true, environment: ["TERM": "xterm"]))
    #expect(TerminalSettings.colorEnabled(.auto, isTerminal: true, environment: ["NO_COLOR": ""]))
    #expect(!TerminalSettings.colorEnabled(.auto, isTerminal: false, environment: [:]))
    #expect(!TerminalSettings.colorEnabled(.auto, isTerminal: true, environment: ["NO_COLOR": "1"]))
    #expect(!TerminalSettings.colorEnabled(.auto, isTerminal: true, environment: ["TERM": "dumb"]))
    #expect(TerminalSettings.colorEnabled(.always, isTerminal: false, environment: ["NO_COLOR": "1"]))
    #expect(!TerminalSettings.colorEnabled(.never, isTerminal: true, environment: [:]))
}

@Test("width comes from --width, else the terminal, else COLUMNS, else 80")
func widthOrder() {
    #expect(TerminalSettings.width(option: 50, terminalColumns: 120, environment: ["COLUMNS": "70"]) == 50)
    #expect(TerminalSettings.width(option: nil, terminalColumns: 120, environment: ["COLUMNS": "70"]) == 120)
    #expect(TerminalSettings.width(option: nil, terminalColumns: nil, environment: ["COLUMNS": "70"]) == 70)
    #expect(TerminalSettings.width(option: nil, terminalColumns: nil, environment: ["COLUMNS": "wide"]) == 80)
    #expect(TerminalSettings.width(option: nil, terminalColumns: nil, environment: [:]) == 80)
}

@Test("the pager is $PAGER when set and not blank, else less -R")
func pagerCommand() {
    #expect(TerminalSettings.pagerCommand(environment: ["PAGER": "more"]) == "more")
    #expect(TerminalSettings.pagerCommand(environment: ["PAGER": " "]) == "less -R")
    #expect(TerminalSettings.pagerCommand(environment: [:]) == "less -R")
}

@Test("the pager, colour and hyperlinks depend on a terminal and on --no-pager")
func settingsFromFacts() throws {
    let tty = TerminalFacts(isTerminal: true, size: (columns: 100, rows: 30), environment: ["TERM": "xterm"])
    let pipe = TerminalFacts(isTerminal: false, size: nil, environment: ["TERM": "xterm"])
    let defaults = try OutputOptions.parse([])
    let onTTY = TerminalSettings(options: defaults, facts: tty)
    #expect(onTTY.pagerAllowed && onTTY.color && onTTY.hyperlinksAllowed && onTTY.width == 100 && onTTY.rows == 30)
    let piped = TerminalSettings(options: defaults, facts: pipe)
    #expect(!piped.pagerAllowed && !piped.color && !piped.hyperlinksAllowed && piped.width == 80)
    let noPager = TerminalSettings(options: try OutputOptions.parse(["--no-pager"]), facts: tty)
    #expect(!noPager.pagerAllowed)
}

@Test("a terminal reporting zero rows falls back to LINES, then to 24")
func zeroRowsFallBack() throws {
    let defaults = try OutputOptions.parse([])
    let withLines = TerminalFacts(isTerminal: true, size: (columns: 80, rows: 0), environment: ["LINES": "50"])
    #expect(TerminalSettings(options: defaults, facts: withLines).rows == 50)
    let bare = TerminalFacts(isTerminal: true, size: (columns: 80, rows: 0), environment: [:])
    #expect(TerminalSettings(options: defaults, facts: bare).rows == 24)
}
