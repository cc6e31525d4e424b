import Testing
@testable import MarkdownTerminal

@Test("a document's title is the plain text of its first heading")
func titleIsFirstHeading() {
    #expect(MarkdownDocument(parsing: "Intro\n\n# Multi-head *attention*\n\n## Later\n").title == "Multi-head attention")
    #expect(MarkdownDocument(parsing: "no heading here\n").title == nil)
}

@Test("mapBlocks reaches blocks inside quotes and lists and can drop or splice")
func mapBlocksReachesNestedBlocks() {
    let document = MarkdownDocument(parsing: "> ```mha\n> x\n> ```\n\n- ```mha\n  y\n  ```\n- keep\n")
    let mapped = document.mapBlocks { block -> [Block]? in
        if case let .codeBlock(info, _, position) = block, info == "mha" {
            return [.paragraph([.value("computed")], position: position), .thematicBreak(position: position)]
        }
        return [block]
    }
    let values = mapped.allBlocks.filter { if case .paragraph([.value("computed")], _) = $0 { return true } else { return false } }
    #expect(values.count == 2)
    let dropped = document.mapBlocks { block in
        if case .codeBlock = block { return nil }
        return [block]
    }
    #expect(!dropped.allBlocks.contains { if case .codeBlock = $0 { return true } else { return false } })
}

@Test("mapInlines rewrites code spans inside emphasis and gives the paragraph's position")
func mapInlinesRewritesNestedCode() {
    let document = MarkdownDocument(parsing: "# H\n\nIt has *`= heads`* heads.\n")
    var seen: [SourcePosition] = []
    let mapped = document.mapInlines { inline, position in
        if case let .code(code, _) = inline, code.hasPrefix("= ") {
            seen.append(position)
            return .value("12")
        }
        return inline
    }
    #expect(seen == [SourcePosition(line: 3, column: 1)])
    guard case let .paragraph(content, _) = mapped.blocks[1] else {
        Issue.record("expected a paragraph")
        return
    }
    #expect(content == [.text("It has "), .emphasis([.value("12")]), .text(" heads.")])
}
