import MarkdownTerminal
import Testing
@testable import LessonEngine

@Suite("LessonEvaluation") struct LessonEvaluationTests {
    private func render(_ lesson: LessonEvaluation) -> String {
        TerminalRenderer(width: 80, color: false).render(lesson.document)
    }

    @Test("an inline `= EXPR` span is replaced by its value and the source is not shown")
    func inlineValue() {
        let lesson = LessonEvaluation(source: "Each head gets `= 768 / 12` dimensions.\n", path: "l.md")
        let text = render(lesson)
        #expect(text.contains("Each head gets 64 dimensions."))
        #expect(!text.contains("= 768"))
        #expect(lesson.diagnostics.isEmpty)
        #expect(lesson.directives == 1)
    }

    @Test("ordinary code spans and code blocks are left alone")
    func ordinaryCode() {
        let lesson = LessonEvaluation(source: "Write `x == 1` or `=x`.\n\n```text\n= 3\n```\n", path: "l.md")
        let text = render(lesson)
        #expect(text.contains("x == 1"))
        #expect(text.contains("=x"))
        #expect(text.contains("= 3"))
        #expect(lesson.directives == 0)
    }

    @Test("an mha block binds names for the rest of the file and shows nothing by itself")
    func bindings() {
        let source = "```mha\nlayer = mha(d_model: 768, heads: 12)\n```\n\nWidth `= layer.d_k`.\n"
        let lesson = LessonEvaluation(source: source, path: "l.md")
        let text = render(lesson)
        #expect(text.contains("Width 64."))
        #expect(!text.contains("mha("))
        #expect(lesson.bindings["layer"] != nil)
    }

    @Test("show renders its value in place of the block")
    func show() {
        let source = "```mha\nshow mha(d_model: 8, heads: 2, tokens: 3).q_heads.shape\nshow worked_example()\n```\n"
        let text = render(LessonEvaluation(source: source, path: "l.md"))
        #expect(text.contains("[2, 3, 4]"))
        #expect(text.contains("Attention weights from \"it\""))
    }

    @Test("claims are counted and a false one is reported with what the core computed")
    func claims() {
        let source = "```mha\nlayer = mha(d_model: 768, heads: 12)\nexpect layer.d_k == 64\nexpect layer.d_k == 32\n```\n"
        let lesson = LessonEvaluation(source: source, path: "l.md")
        #expect(lesson.claims == 2)
        #expect(lesson.claimsProved == 1)
        #expect(lesson.diagnostics.map(\.description) == ["l.md:4:8: error: claim is false: layer.d_k is 64, not 32."])
        #expect(!lesson.succeeded)
    }

    @Test("an error inside an inline expression points at its column in the file")
    func inlineErrorColumn() {
        let source = "# Title\n\nThe width is `= mha(d_model: 768, heads: 12).dk` here.\n"
        let lesson = LessonEvaluation(source: source, path: "l.md")
        #expect(lesson.diagnostics.count == 1)
        #expect(lesson.diagnostics.first?.location == SourceLocation(path: "l.md", line: 3, column: 46))
        #expect(render(lesson).contains("= mha(d_model: 768, heads: 12).dk"))
    }

    @Test("inline spans after non-ASCII text and inside lists, quotes and emphasis are located")
    func nestedLocations() {
        let source = "Déjà vu `= nope`.\n\n- item *`= nope2`*\n\n> quote `= 1 +`\n"
        let lesson = LessonEvaluation(source: source, path: "l.md")
        let places = lesson.diagnostics.map { "\($0.location.line):\($0.location.column)" }
        #expect(places == ["1:12", "3:12", "5:15"])
    }

    @Test("a failed binding is reported once, not again where it is used")
    func cascade() {
        let source = "```mha\nx = nope + 1\nexpect x == 2\n```\n\nSee `= x`.\n"
        let lesson = LessonEvaluation(source: source, path: "l.md")
        #expect(lesson.diagnostics.count == 1)
        #expect(lesson.diagnostics.first?.location.line == 2)
    }

    @Test("statements that are not bindings, shows or claims are errors at their line")
    func badStatements() {
        let source = "```mha\n  flow layer\nnot = 3\nexpect 3\nshow\n# a comment\n```\n"
        let lesson = LessonEvaluation(source: source, path: "l.md")
        let found = lesson.diagnostics.map { "\($0.location.line):\($0.location.column)" }
        #expect(found == ["2:3", "3:1", "4:8", "5:1"])
        #expect(lesson.diagnostics[2].message.contains("true or false"))
    }

    @Test("initial bindings, a first line and an indent place embedded text in its file")
    func embedded() {
        let lesson = LessonEvaluation(source: "d_model is `= d_model`, bad `= h +`\n", path: "e.yaml",
                                      bindings: ["d_model": .integer(512)], firstLine: 10, indent: 6)
        #expect(render(lesson).contains("d_model is 512"))
        #expect(lesson.diagnostics.first?.location == SourceLocation(path: "e.yaml", line: 10, column: 6 + 35))
    }

    @Test("substitute replaces spans in plain text and reports columns within it")
    func substitute() throws {
        #expect(try LessonEvaluation.substitute("d_k = `= 768 / h`.", bindings: ["h": .integer(12)]) == "d_k = 64.")
        #expect(try LessonEvaluation.substitute("keep `x`", bindings: [:]) == "keep `x`")
        do {
            _ = try LessonEvaluation.substitute("a `= 1 / 0`", bindings: [:])
            Issue.record("expected an error")
        } catch let error as ExpressionError {
            #expect(error.column == 8)
        }
    }

    @Test("CRLF and lone CR line endings count as one line each, as in CommonMark")
    func lineEndings() {
        let lesson = LessonEvaluation(source: "A\r\n\r\nB `= nope`\r\n\r\n```mha\r\nexpect 1 == 2\r\n```\r\n", path: "l.md")
        #expect(lesson.diagnostics.map { "\($0.location.line):\($0.location.column)" } == ["3:6", "6:8"])
        #expect(LessonEvaluation.splitLines("a\rb\r\nc\nd").count == 4)
    }

    @Test("large integers read with thousands separators inline")
    func grouping() {
        #expect(LessonEvaluation.inlineText(.integer(2_362_368)) == "2,362,368")
        #expect(LessonEvaluation.inlineText(.integer(4096)) == "4096")
        #expect(LessonEvaluation.inlineText(.integer(-12_345)) == "-12,345")
    }
}

@Suite("LessonEvaluation robustness") struct LessonEvaluationRobustnessTests {
    @Test("random Markdown with directives never crashes and every diagnostic points inside the text")
    func garbage() {
        var generator = SplitMix(seed: 7)
        let pieces = ["`= ", "`", "```mha\n", "```\n", "\n", "show ", "expect ", "x = ", "1 + 2", "mha(d_model: 8, heads: 2)",
                      ".d_k", "> ", "- ", "é", "\t", "\r\n", "== ", "worked_example()", "(", ")", "**", "1 / 0", "    ", "~~~mha\n"]
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int(generator.next() % 30) {
                text += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            let lesson = LessonEvaluation(source: text, path: "g.md")
            let lineCount = LessonEvaluation.splitLines(text).count
            for diagnostic in lesson.diagnostics {
                #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= lineCount + 1, "\(text.debugDescription): \(diagnostic)")
                #expect(diagnostic.location.column >= 1)
            }
        }
    }
}
