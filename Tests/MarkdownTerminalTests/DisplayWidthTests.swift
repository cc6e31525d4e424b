import Testing
@testable import MarkdownTerminal

@Test("ASCII counts one column a character")
func asciiWidth() {
    #expect(displayWidth("hello, world") == 12)
}

@Test("wide East Asian characters count two columns")
func cjkWidth() {
    #expect(displayWidth("注意力") == 6)
    #expect(displayWidth("한국어") == 6)
    #expect(displayWidth("ｆｕｌｌ") == 8)
    #expect(displayWidth("カタカナ") == 8)
}

@Test("emoji count two columns, including ZWJ sequences, flags and VS16 forms")
func emojiWidth() {
    #expect(displayWidth("🧠") == 2)
    #expect(displayWidth("👩‍💻") == 2)
    #expect(displayWidth("🇫🇷") == 2)
    #expect(displayWidth("❤️") == 2)
    #expect(displayWidth("a🔍b") == 4)
}

@Test("combining marks and zero-width characters count zero columns")
func combiningWidth() {
    #expect(displayWidth("cafe\u{301}") == 4)
    #expect(displayWidth("n\u{303}\u{323}") == 1)
    #expect(displayWidth("a\u{200B}b") == 2)
    #expect(displayWidth("\u{301}") == 0)
}

@Test("ANSI CSI and OSC sequences count zero columns")
func ansiWidth() {
    #expect(displayWidth("\u{1B}[1;35mtitle\u{1B}[0m") == 5)
    #expect(displayWidth("\u{1B}]8;;https://x.y\u{1B}\\link\u{1B}]8;;\u{1B}\\") == 4)
    #expect(displayWidth("\u{1B}]0;title\u{07}ok") == 2)
}

@Test("the width table is sorted so binary search finds every range")
func tablesAreSorted() {
    for table in [ScalarWidth.wide, ScalarWidth.zero] {
        for (a, b) in zip(table, table.dropFirst()) {
            #expect(a.upperBound < b.lowerBound, "\(a) overlaps or precedes \(b)")
        }
    }
}
