import AttentionCore
import Foundation
import MarkdownTerminal
import Testing
import TestSupport
@testable import Reports

@Suite("HeadsView") struct HeadsViewTests {
    private func tinyRun() throws -> BERTRun {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try BERTEncoder(folder: folder).run(text: TestModels.sentence)
    }

    @Test("a token is found by text in any case, WORD#N picks the N-th occurrence, and a missing one is nil")
    func positions() throws {
        let tokens = try tinyRun().tokens
        let the = tokens.indices.filter { tokens[$0].text == "the" }
        #expect(HeadsView.position(of: "THE", in: tokens) == the.first)
        #expect(HeadsView.position(of: "the#2", in: tokens) == the.last)
        #expect(HeadsView.position(of: "the#3", in: tokens) == nil)
        #expect(HeadsView.position(of: "dog", in: tokens) == nil)
    }

    @Test("an accented token is found the way the uncased tokenizer folded it")
    func accentedToken() {
        let tokens = [WordPieceToken(id: 1, text: "[CLS]"), WordPieceToken(id: 2, text: "cafe"), WordPieceToken(id: 3, text: "[SEP]")]
        #expect(HeadsView.position(of: "café", in: tokens) == 1)
        #expect(HeadsView.position(of: "CAFÉ", in: tokens) == 1)
        #expect(HeadsView.position(of: "cafés", in: tokens) == nil)
    }

    @Test("top names the most-attended key and its weight")
    func top() throws {
        let run = try tinyRun()
        let row = Array(run.row(layer: 1, head: 0, query: 3))
        let best = HeadsView.top(of: run, layer: 1, head: 0, query: 3)
        #expect(best.weight == row.max())
        #expect(row[best.key] == best.weight)
    }

    @Test("the grid fits every width it is given, wraps its header, and ends with the hint only when asked")
    func gridFits() throws {
        let run = try tinyRun()
        let focus = try #require(HeadsView.position(of: "it", in: run.tokens))
        for width in [20, 40, 80, 160] {
            for color in [false, true] {
                let view = HeadsView(run: run, sentence: TestModels.sentence, focus: focus, width: width, style: TerminalStyle(color: color))
                let lines = view.gridLines()
                #expect(lines.allSatisfy { displayWidth($0) <= width }, "width \(width): \(lines.filter { displayWidth($0) > width })")
                #expect(lines.last == HeadsView.commandHint || width < displayWidth(HeadsView.commandHint))
                #expect(view.gridLines(hint: nil).contains { $0.contains("Most chosen") })
                #expect(!view.gridLines(hint: nil).contains(HeadsView.commandHint))
            }
        }
    }

    @Test("specials are [CLS]/[SEP]-style markers and single punctuation marks")
    func specials() {
        #expect(HeadsView.isSpecial("[CLS]"))
        #expect(HeadsView.isSpecial("."))
        #expect(!HeadsView.isSpecial("animal"))
        #expect(!HeadsView.isSpecial("it"))
    }

    @Test("weights print as .41 or 1.00 and shade by percentage")
    func weightText() {
        #expect(HeadsView.weightText(0.414) == ".41")
        #expect(HeadsView.weightText(1) == "1.00")
        #expect(HeadsView.shade(percent: 3) == " ")
        #expect(HeadsView.shade(percent: 80) == "█")
    }
}
