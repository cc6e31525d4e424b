import Testing
@testable import MarkdownTerminal

@Suite("TextLayout") struct TextLayoutTests {
    @Test("hanging keeps the prefix, fills lines greedily and indents the continuation lines")
    func hanging() {
        let text = TextLayout.hanging("  note: ", "alpha beta gamma delta epsilon", width: 20, indent: 4)
        #expect(text == "  note: alpha beta\n    gamma delta\n    epsilon")
    }

    @Test("a word longer than the line is broken across lines at the width")
    func longWord() {
        let text = TextLayout.hanging("", "abcdefghijkl", width: 5, indent: 0)
        #expect(text == "abcde\nfghij\nkl")
    }

    @Test("the indent is capped at half the width so a narrow line still holds words")
    func cappedIndent() {
        let text = TextLayout.hanging("x ", "aa bb cc", width: 6, indent: 20)
        #expect(text.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix("   ") && !$0.hasPrefix("    ") })
    }

    @Test("fit re-wraps only the lines that are too wide, two columns past their own indent")
    func fit() {
        let fitted = TextLayout.fit("ok\n  one two three four\n", width: 12)
        #expect(fitted == "ok\n  one two\n    three\n    four\n")
    }

    @Test("wide characters count two columns when fitting")
    func wideCharacters() {
        let fitted = TextLayout.fit("漢字 漢字 漢字", width: 10)
        #expect(fitted.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 10 })
        #expect(fitted.contains("\n"))
    }

    @Test("hanging wraps after a prefix, indents continuation lines, and breaks a word longer than a line")
    func hangingWrap() {
        let text = TextLayout.hanging("  source: ", "one two three github.com/a-very-long-path-that-cannot-fit", width: 24, indent: 4)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("  source: one two") == true)
        #expect(lines.allSatisfy { displayWidth($0) <= 24 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    ") })
        #expect(lines.joined().replacingOccurrences(of: " ", with: "").contains("github.com/a-very-long-path-that-cannot-fit"))
    }

    @Test("fit leaves lines that fit alone and re-wraps wider ones, ANSI styles counting zero columns")
    func fitToWidth() {
        let styled = "\u{1B}[1mheading\u{1B}[0m fits"
        #expect(TextLayout.fit(styled, width: 12) == styled)
        let fitted = TextLayout.fit("  a b c d e f g h i j k l m n o p\nshort\n", width: 10)
        #expect(fitted.hasSuffix("short\n"))
        #expect(fitted.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 10 })
    }
}
