import Testing
@testable import MarkdownTerminal

private let goldenCases: [(width: Int, color: Bool)] = [(40, false), (40, true), (80, false), (80, true)]

private func goldenName(width: Int, color: Bool) -> String {
    "Everything.w\(width).\(color ? "color" : "plain").txt"
}

@Test("Everything.md renders exactly as its golden files at widths 40 and 80, colour on and off",
      arguments: [0, 1, 2, 3])
func everythingMatchesGolden(index: Int) throws {
    let (width, color) = goldenCases[index]
    let rendered = TerminalRenderer(width: width, color: color).render(markdown: try Fixture.text("Everything.md"))
    let name = goldenName(width: width, color: color)
    if Fixture.updating { try Fixture.write(rendered, to: name) }
    let golden = try Fixture.text(name)
    #expect(rendered == golden, "re-render with MHALEARN_UPDATE_GOLDENS=1 after checking the output by eye")
}

@Test("every rendered line fits the width, at every width from 20 to 160, with and without colour",
      arguments: [20, 27, 33, 40, 52, 61, 80, 99, 120, 160])
func everyLineFits(width: Int) throws {
    let markdown = try Fixture.text("Everything.md")
    for color in [false, true] {
        let lines = TerminalRenderer(width: width, color: color).render(markdown: markdown).renderedLines
        for line in lines {
            #expect(displayWidth(line) <= width, "\(displayWidth(line)) > \(width): \(line)")
            #expect(!line.hasSuffix(" "), "trailing space: \(line)")
        }
    }
}

@Test("prose is capped near 100 columns on a very wide terminal but code may be wider")
func proseIsCapped() {
    let long = String(repeating: "word ", count: 60)
    let code = String(repeating: "x", count: 150)
    let lines = TerminalRenderer(width: 200, color: false).render(markdown: "\(long)\n\n```\n\(code)\n```\n").renderedLines
    #expect(lines.prefix(3).allSatisfy { displayWidth($0) <= 100 })
    #expect(lines.contains { displayWidth($0) == 152 })
}

@Test("output without colour contains no escape byte at all")
func plainHasNoEscape() throws {
    let rendered = TerminalRenderer(width: 60, color: false, hyperlinks: true).render(markdown: try Fixture.text("Everything.md"))
    #expect(!rendered.unicodeScalars.contains("\u{1B}"))
    #expect(!rendered.unicodeScalars.contains { $0.value >= 0x80 && $0.value <= 0x9F })
}

@Test("author text cannot inject escape sequences: ESC, BEL, OSC 52 clipboard, title and C1 codes are neutralised")
func escapeInjection() {
    let hostile = """
    # Title \u{1B}]0;pwned\u{07}

    Clear \u{1B}[2J\u{1B}[H screen, beep \u{07}, clipboard \u{1B}]52;c;cm0gLXJmIH4=\u{07}, C1 CSI \u{9B}31m red \u{9D}0;t\u{9C}.

    [link \u{1B}[31m](https://example.com/\u{1B}]52;c;eA==\u{07}) and `code \u{1B}[5m`

    ```sh\u{1B}[1m
    echo \u{1B}[?1049h \u{9B}?25l
    ```

    <div>\u{1B}[8m</div>
    """
    for color in [false, true] {
        for hyperlinks in [false, true] {
            let rendered = TerminalRenderer(width: 60, color: color, hyperlinks: hyperlinks).render(markdown: hostile)
            #expect(!rendered.unicodeScalars.contains("\u{07}"))
            #expect(!rendered.unicodeScalars.contains { $0.value >= 0x80 && $0.value <= 0x9F })
            #expect(!rendered.contains("\u{1B}]52"))
            #expect(!rendered.contains("\u{1B}]0;"))
            #expect(!rendered.contains("\u{1B}[2J"))
            #expect(!rendered.contains("\u{1B}[?1049h"))
            #expect(rendered.contains("␛[2J"))
            let escapes = ANSISequences.split(rendered).compactMap { if case let .escape(e) = $0 { return e } else { return nil } }
            for escape in escapes {
                let isStyle = escape.hasPrefix("\u{1B}[") && escape.hasSuffix("m")
                let isLink = escape.hasPrefix("\u{1B}]8;;")
                #expect(isStyle || isLink, "unexpected sequence \(escape.debugDescription)")
            }
            if !color { #expect(escapes.isEmpty) }
        }
    }
}

@Test("headings of levels 1 to 6 are told apart without colour")
func headingsDistinctWithoutColour() {
    let lines = TerminalRenderer(width: 40, color: false).render(markdown: (1...6).map { "\(String(repeating: "#", count: $0)) H\n" }.joined(separator: "\n")).renderedLines
    #expect(lines == ["H", "═══", "", "H", "───", "", "### H", "", "#### H", "", "##### H", "", "###### H"])
}

@Test("block quotes show a bar per nesting level, blank lines keep the bar without trailing space")
func nestedQuotes() {
    let lines = TerminalRenderer(width: 40, color: false).render(markdown: "> one\n>\n> > two\n").renderedLines
    #expect(lines == ["│ one", "│", "│ │ two"])
}

@Test("lists keep their start number, align numbers and indent wrapped lines under the text")
func listsHangAndAlign() {
    let lines = TerminalRenderer(width: 20, color: false).render(markdown: "9. nine\n10. ten is long enough to wrap\n").renderedLines
    #expect(lines == [" 9. nine", "10. ten is long", "    enough to wrap"])
}

@Test("tight lists have no blank lines and loose lists do")
func tightAndLoose() {
    let tight = TerminalRenderer(width: 40, color: false).render(markdown: "- a\n- b\n").renderedLines
    let loose = TerminalRenderer(width: 40, color: false).render(markdown: "- a\n\n- b\n").renderedLines
    #expect(tight == ["• a", "• b"])
    #expect(loose == ["• a", "", "• b"])
}

@Test("nested bullets change their mark by depth")
func nestedBullets() {
    let lines = TerminalRenderer(width: 40, color: false).render(markdown: "- a\n  - b\n    - c\n      - d\n").renderedLines
    #expect(lines == ["• a", "  ◦ b", "    ▪ c", "      • d"])
}

@Test("an empty list item still shows its marker")
func emptyItem() {
    let lines = TerminalRenderer(width: 40, color: false).render(markdown: "-\n- b\n").renderedLines
    #expect(lines == ["•", "• b"])
}

@Test("code blocks are framed, labelled with their info string, never re-wrapped and never padded")
func codeBlocks() {
    let lines = TerminalRenderer(width: 20, color: false).render(markdown: "```py\nx  =  1   \n\n0123456789abcdefghijKLM\n```\n").renderedLines
    #expect(lines == ["╭─ py", "│ x  =  1", "│", "│ 0123456789abcdefgh", "┆ ijKLM", "╰─"])
}

@Test("links show their URL after the text unless written as OSC 8 hyperlinks")
func links() {
    let markdown = "See [the spec](https://spec.commonmark.org) or <https://x.org>.\n"
    let plain = TerminalRenderer(width: 80, color: false).render(markdown: markdown)
    #expect(plain == "See the spec (https://spec.commonmark.org) or https://x.org.\n")
    let linked = TerminalRenderer(width: 80, color: true, hyperlinks: true).render(markdown: markdown)
    #expect(linked.contains("\u{1B}]8;;https://spec.commonmark.org\u{1B}\\"))
    #expect(!linked.contains("(https://spec.commonmark.org)"))
}

@Test("images show their alt text and source")
func images() {
    let plain = TerminalRenderer(width: 80, color: false).render(markdown: "![heads](a.png)\n")
    #expect(plain == "[image: heads] (a.png)\n")
}

@Test("raw HTML is shown as written and HTML comments are dropped")
func rawHTML() {
    let plain = TerminalRenderer(width: 80, color: false).render(markdown: "a <b>c</b>\n\n<!-- note -->\n\n<p>x</p>\n")
    #expect(plain == "a <b>c</b>\n\n<p>x</p>\n")
}

@Test("emphasis and strong are marked with _ and * without colour and styled with colour")
func emphasisMarks() {
    #expect(TerminalRenderer(width: 80, color: false).render(markdown: "*a* **b** `c`\n") == "_a_ *b* `c`\n")
    #expect(TerminalRenderer(width: 80, color: true).render(markdown: "*a* **b**\n") == "\u{1B}[3ma\u{1B}[0m \u{1B}[1mb\u{1B}[0m\n")
}

@Test("hard breaks start a new line and soft breaks become spaces")
func breaks() {
    #expect(TerminalRenderer(width: 80, color: false).render(markdown: "a\nb\\\nc\n") == "a b\nc\n")
}

@Test("a value inline is shown distinctly in colour, plainly without, and wraps like text")
func valueInline() {
    let blocks: [Block] = [.paragraph([.text("d_k is "), .value("64"), .text(" wide")], position: SourcePosition(line: 1, column: 1))]
    #expect(TerminalRenderer(width: 80, color: false).lines(blocks) == ["d_k is 64 wide"])
    #expect(TerminalRenderer(width: 80, color: true).lines(blocks) == ["d_k is \u{1B}[1;36m64\u{1B}[0m wide"])
    #expect(TerminalRenderer(width: 10, color: false).lines(blocks) == ["d_k is 64", "wide"])
}

private struct Grid: TerminalBlock {
    func lines(width: Int, style: TerminalStyle) -> [String] {
        ["w=\(width) " + style.bold("grid") + "   ", String(repeating: "#", count: width + 5) + "\nnext"]
    }
}

@Test("custom blocks are placed under quote and list prefixes, given the remaining width, and cut if too wide")
func customBlocks() {
    var document = MarkdownDocument(parsing: "> - item\n")
    document = document.mapBlocks { block in
        if case let .paragraph(_, position) = block { return [.custom(Grid(), position: position)] }
        return [block]
    }
    let lines = TerminalRenderer(width: 20, color: false).render(document).renderedLines
    #expect(lines == ["│ • w=16 grid", "│   ################", "│   #####", "│   next"])
}

@Test("absurdly deep nesting neither crashes nor overflows the width")
func deepNesting() {
    let markdown = String(repeating: "> ", count: 3000) + "deep\n\n" + String(repeating: "- ", count: 3000) + "list\n\n"
        + String(repeating: "*", count: 5000) + "x" + String(repeating: "*", count: 5000) + "\n"
    let document = MarkdownDocument(parsing: markdown)
    for width in [20, 80] {
        let lines = TerminalRenderer(width: width, color: false).render(document).renderedLines
        #expect(lines.allSatisfy { displayWidth($0) <= width })
        #expect(lines.contains { $0.hasSuffix("deep") })
        #expect(lines.contains { $0.hasSuffix("list") })
    }
}

@Test("wide ordered-list markers at a narrow width put the marker on its own line instead of overflowing")
func wideMarkersCollapse() {
    let lines = TerminalRenderer(width: 20, color: false).render(markdown: "123456789. item text here\n").renderedLines
    #expect(lines == ["123456789.", "item text here"])
}
