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
}
