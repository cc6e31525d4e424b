import Testing
@testable import MarkdownTerminal

@Test("with colour off every style returns its text unchanged")
func colourOffIsPlain() {
    let style = TerminalStyle(color: false, hyperlinks: true)
    let all = TextAttributes(bold: true, dim: true, italic: true, underline: true, foreground: .rgb(1, 2, 3), background: .palette(200))
    #expect(style.apply(all, to: "x") == "x")
    #expect(style.bold("b") + style.dim("d") + style.foreground(.red, "r") == "bdr")
    #expect(style.hyperlink("t", to: "https://a") == "t")
    #expect(!style.hyperlinksEnabled)
}

@Test("with colour on, attributes become one SGR sequence followed by a reset")
func colourOnEmitsSGR() {
    let style = TerminalStyle(color: true)
    #expect(style.apply(TextAttributes(bold: true, foreground: .cyan), to: "x") == "\u{1B}[1;36mx\u{1B}[0m")
    #expect(style.foreground(.basic(9), "x") == "\u{1B}[91mx\u{1B}[0m")
    #expect(style.background(.palette(17), "x") == "\u{1B}[48;5;17mx\u{1B}[0m")
    #expect(style.foreground(.rgb(255, 0, 10), "x") == "\u{1B}[38;2;255;0;10mx\u{1B}[0m")
    #expect(style.apply(.plain, to: "x") == "x")
}

@Test("hyperlinks are OSC 8 sequences whose URL cannot smuggle control characters")
func hyperlinkIsSafe() {
    let style = TerminalStyle(color: true, hyperlinks: true)
    #expect(style.hyperlink("t", to: "https://a") == "\u{1B}]8;;https://a\u{1B}\\t\u{1B}]8;;\u{1B}\\")
    let hostile = style.hyperlink("t", to: "https://a\u{1B}\\\u{1B}]52;c;aGk=\u{07}")
    #expect(hostile.filter { $0 == "\u{1B}" }.count == 4)
    #expect(!hostile.contains("\u{07}"))
}

@Test("merging attributes keeps both sets and lets the newer colour win")
func mergingAttributes() {
    let merged = TextAttributes(bold: true, foreground: .red).merging(TextAttributes(italic: true, foreground: .blue))
    #expect(merged == TextAttributes(bold: true, italic: true, foreground: .blue))
}
