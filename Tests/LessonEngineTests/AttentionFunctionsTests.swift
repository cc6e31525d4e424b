import Testing
import MarkdownTerminal
@testable import LessonEngine

@Suite("AttentionFunctions") struct AttentionFunctionsTests {
    @Test("scratch") func scratch() throws {
        let text = """
        # Lesson `= 1 + 1`

        ```mha
        layer = mha(d_model: 768, heads: 12, tokens: 11)
        show layer.flow
        expect layer.output.shape == layer.input.shape
        expect layer.d_k == 32
        expect layer.d_k > 2 * 40 and 1 < 2
        bad = 1 +
        show bad
        ex = worked_example()
        show ex
        show ex.two_heads.weights_from("it")
        show table(["variant", "bytes"], ["MHA", layer.kv_cache_bytes()], ["GQA", 4096])
        ```

        With `= layer.heads` heads, each head works on `= layer.d_k`-dimensional slices, `= layer.dk`.
        """
        let lesson = LessonEvaluation(source: text, path: "x.md")
        for d in lesson.diagnostics { print("=>", d) }
        print("=> claims", lesson.claims, lesson.claimsProved)
        print(TerminalRenderer(width: 80, color: false).render(lesson.document))
        print(TerminalRenderer(width: 80, color: true).render(lesson.document))
    }
}
