import Foundation
import Lessons
import Testing
import TestSupport

/// A small lesson using spans, blocks, expects and shows, the starting point of the Markdown fuzz.
private let seedLesson = """
# Fuzz

Each head is `= 768 / 12` wide.

```mha
layer = mha(d_model: 64, heads: 8, kv_heads: 2, tokens: 5)
expect layer.group_size == 4
show table(["step", "shape"], ["k_heads", layer.k_heads.shape])
```

- a list with `= layer.d_k`
> a quote

"""

@Suite("Fuzz: lesson Markdown")
struct LessonFuzzTests {
    @Test("mutated lessons evaluate or give diagnostics located at path:line:col, never a crash (seeded, 300 inputs, 30 s cap)")
    func markdown() {
        var mutator = FuzzMutator(seed: 16)
        let start = ContinuousClock.now
        for index in 0..<300 where ContinuousClock.now - start < .seconds(30) {
            let text = mutator.mutate(seedLesson)
            let lesson = LessonEvaluation(source: text, path: "fuzz.md")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            for diagnostic in lesson.diagnostics {
                #expect(diagnostic.location.path == "fuzz.md", "input \(index)")
                #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= lines + 1, "input \(index): \(diagnostic)")
                #expect(diagnostic.location.column >= 1, "input \(index): \(diagnostic)")
            }
        }
    }
}
