import Testing
@testable import MarkdownTerminal

@Test("words wrap greedily and no line ends in a space")
func greedyWrap() {
    let lines = wrap("the quick brown fox jumps over the lazy dog", width: 10)
    #expect(lines == ["the quick", "brown fox", "jumps over", "the lazy", "dog"])
}

@Test("a word longer than the width is broken at the width")
func longWordsBreak() {
    let lines = wrap("a supercalifragilistic word", width: 8)
    #expect(lines.allSatisfy { displayWidth($0) <= 8 })
    #expect(lines.joined().replacingSpaces == "asupercalifragilisticword")
}

@Test("wide characters wrap by display columns and may break between them")
func wideCharactersWrap() {
    let lines = wrap("多头注意力把模型的宽度分成几份", width: 9)
    #expect(lines == ["多头注意", "力把模型", "的宽度分", "成几份"])
}

@Test("emoji and combining marks are measured by columns when wrapping")
func emojiAndCombiningWrap() {
    let lines = wrap("🧠🧠 cafe\u{301} cafe\u{301} 🔍", width: 10)
    #expect(lines == ["🧠🧠 cafe\u{301}", "cafe\u{301} 🔍"])
}

@Test("styled runs are styled per line so no style spans a line break")
func styledRunsPerLine() {
    let style = TerminalStyle(color: true)
    let lines = wrap([StyledText("bold words here", attributes: TextAttributes(bold: true))], width: 10, style: style)
    #expect(lines == ["\u{1B}[1mbold words\u{1B}[0m", "\u{1B}[1mhere\u{1B}[0m"])
}

@Test("hard split cuts a line at the width and keeps ANSI sequences out of the count")
func hardSplitCuts() {
    #expect(hardSplit("abcdefgh", width: 3) == ["abc", "def", "gh"])
    #expect(hardSplit("\u{1B}[1mabcd\u{1B}[0m", width: 2) == ["\u{1B}[1mab", "cd\u{1B}[0m"])
    #expect(hardSplit("注意力", width: 3) == ["注", "意", "力"])
}

extension String {
    var replacingSpaces: String { filter { $0 != " " } }
}
