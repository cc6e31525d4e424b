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
