import Testing
@testable import MarkdownTerminal

@Test("headings keep their level, text and source position")
func headingsKeepLevelAndPosition() {
    let document = MarkdownDocument(parsing: "Intro\n\n## Two *words*\n")
    guard case let .heading(level, content, position) = document.blocks[1] else {
        Issue.record("expected a heading, got \(document.blocks)")
        return
    }
    #expect(level == 2)
    #expect(content == [.text("Two "), .emphasis([.text("words")])])
    #expect(position == SourcePosition(line: 3, column: 1))
}

@Test("fenced code keeps its info string and indented code has none")
func fencedAndIndentedCode() {
    let document = MarkdownDocument(parsing: "```mha\nx = 1\n```\n\n```\nplain\n```\n\n    indented\n")
    guard case let .codeBlock(info1, code1, _) = document.blocks[0],
          case let .codeBlock(info2, _, _) = document.blocks[1],
          case let .codeBlock(info3, code3, position3) = document.blocks[2] else {
        Issue.record("expected three code blocks, got \(document.blocks)")
        return
    }
    #expect(info1 == "mha")
    #expect(code1 == "x = 1\n")
    #expect(info2 == "")
    #expect(info3 == nil)
    #expect(code3 == "indented\n")
    #expect(position3.line == 9)
}

@Test("fenced code inside a block quote is still recognised as fenced")
func fencedCodeInQuote() {
    let document = MarkdownDocument(parsing: "> ~~~ text\n> quoted\n> ~~~\n")
    guard case let .blockQuote(children, _) = document.blocks[0], case let .codeBlock(info, _, _) = children[0] else {
        Issue.record("expected a quoted code block, got \(document.blocks)")
        return
    }
    #expect(info == "text")
}

@Test("ordered lists keep their start number, delimiter and tightness")
func orderedListsKeepStart() {
    let document = MarkdownDocument(parsing: "3) three\n4) four\n\n- a\n\n- b\n")
    guard case let .list(ordered, _) = document.blocks[0], case let .list(bullets, _) = document.blocks[1] else {
        Issue.record("expected two lists, got \(document.blocks)")
        return
    }
    #expect(ordered.kind == .ordered(start: 3, delimiter: ")"))
    #expect(ordered.isTight)
    #expect(ordered.items.count == 2)
    #expect(bullets.kind == .bullet)
    #expect(!bullets.isTight)
}

@Test("inline nodes become links, images, code, breaks and raw HTML")
func inlineNodes() {
    let document = MarkdownDocument(parsing: "[a](u \"t\") ![b](i.png) `c` <b>x</b>\nd\\\ne")
    guard case let .paragraph(content, _) = document.blocks[0] else {
        Issue.record("expected a paragraph")
        return
    }
    #expect(content.contains(.link(destination: "u", title: "t", content: [.text("a")])))
    #expect(content.contains(.image(source: "i.png", title: "", alt: [.text("b")])))
    #expect(content.contains(.html("<b>")))
    #expect(content.contains(.softBreak))
    #expect(content.contains(.lineBreak))
    #expect(content.contains { if case .code("c", _) = $0 { return true } else { return false } })
}

@Test("inline code spans carry the line and column where their content starts, also on indented continuation lines")
func inlineCodePosition() {
    let document = MarkdownDocument(parsing: "# T\n\nSee `= x.d_k` here\n   and ``= y`` there.\n\n> - é `= z`\n")
    let codes = document.allBlocks.flatMap { block -> [SourcePosition] in
        guard case let .paragraph(content, _) = block else { return [] }
        return content.compactMap { if case let .code(_, position) = $0 { return position } else { return nil } }
    }
    #expect(codes == [SourcePosition(line: 3, column: 6), SourcePosition(line: 4, column: 10), SourcePosition(line: 6, column: 9)])
}

@Test("thematic breaks and HTML blocks are kept as their own blocks")
func breaksAndHTML() {
    let document = MarkdownDocument(parsing: "---\n\n<div>\nhi\n</div>\n")
    guard case .thematicBreak = document.blocks[0], case let .htmlBlock(html, _) = document.blocks[1] else {
        Issue.record("expected a break and an HTML block, got \(document.blocks)")
        return
    }
    #expect(html == "<div>\nhi\n</div>\n")
}

@Test("invalid UTF-8 and NUL bytes do not crash the parser")
func invalidInputIsSafe() {
    let document = MarkdownDocument(parsing: "a\u{0}b\n\n\u{FFFD}")
    #expect(document.blocks.count == 2)
}


@Test("CRLF and CR line endings parse like LF: fences are found and no carriage return is kept")
func crlfLineEndings() {
    let document = MarkdownDocument(parsing: "# T\r\n\r\n```sh\r\necho hi\r\n```\r\nold\rmac\n")
    guard case let .codeBlock(info, code, _) = document.blocks[1], case let .paragraph(content, _) = document.blocks[2] else {
        Issue.record("expected heading, code, paragraph: \(document.blocks)")
        return
    }
    #expect(info == "sh")
    #expect(code == "echo hi\n")
    #expect(content == [.text("old"), .softBreak, .text("mac")])
}
