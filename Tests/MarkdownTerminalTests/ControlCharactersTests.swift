import Testing
@testable import MarkdownTerminal

@Test("ESC, BEL and other C0 controls become visible control pictures")
func c0BecomeVisible() {
    #expect(sanitize("a\u{1B}[2Jb\u{07}c\u{08}") == "a␛[2Jb␇c␈")
    #expect(sanitize("x\ry") == "x␍y")
}

@Test("DEL and C1 controls are replaced")
func delAndC1Replaced() {
    let cleaned = sanitize("a\u{7F}b\u{9B}31mc\u{9D}0;t\u{9C}")
    #expect(cleaned == "a␡b\u{FFFD}31mc\u{FFFD}0;t\u{FFFD}")
    #expect(!cleaned.unicodeScalars.contains { ControlCharacters.isControl($0) })
}

@Test("tabs become spaces to the next multiple of four and newlines stay")
func tabsAndNewlines() {
    #expect(sanitize("a\tb\n\tc") == "a   b\n    c")
}

@Test("ordinary text is returned unchanged")
func plainUnchanged() {
    #expect(sanitize("multi-head 注意力 🧠 café") == "multi-head 注意力 🧠 café")
}

@Test("terminalSafe keeps SGR styles and OSC 8 links but shows every other control, C1 included")
func terminalSafeKeepsStylesOnly() {
    #expect(terminalSafe("\u{1B}[1mbold\u{1B}[0m\ttab\n") == "\u{1B}[1mbold\u{1B}[0m\ttab\n")
    let link = "\u{1B}]8;;https://example.com\u{1B}\\text\u{1B}]8;;\u{1B}\\"
    #expect(terminalSafe(link) == link)
    #expect(terminalSafe("a\u{1B}]52;c;aGk=\u{07}b") == "a␛]52;c;aGk=␇b")
    #expect(terminalSafe("\u{1B}[2J\u{9B}2J\r") == "␛[2J\u{FFFD}2J␍")
    #expect(terminalSafe("\u{1B}]8;;evil\u{07}x") == "␛]8;;evil␇x")
}
