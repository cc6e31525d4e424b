import Testing
@testable import MarkdownTerminal

@Test("the MarkdownTerminal module builds") func moduleBuilds() { #expect(Bool(true)) }
