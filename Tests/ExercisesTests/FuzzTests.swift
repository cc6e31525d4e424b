import Exercises
import Foundation
import Testing
import TestSupport

/// A real exercise (from exercises/), the starting point of the YAML fuzz.
private let seedYAML = """
format: 1
exercises:
  - id: dk-from-d-model
    kind: number
    tags: [dimensions]
    given:
      d_model: [256, 384, 512, 768, 1024, 1536, 2048]
      h: {from: 4, to: 32}
    where: 'd_model % h == 0 and d_model / h >= 16 and d_model / h != h'
    prompt: |
      A multi-head attention layer has a model width of d_model = `= d_model` and
      runs `= h` heads. What is **d_k**, the width of each head's query, key and
      value vectors?
    answer: 'mha(d_model: d_model, heads: h, tokens: 4).d_k'
    wrong:
      - answer: 'd_model'
        feedback: |
          That is the width of the whole model. The heads share that width out
          between them, so each one gets only a slice: d_model divided by h.
      - answer: 'h'
        feedback: |
          That is the number of heads, not the width of one head. Divide the
          model width by the number of heads.
      - answer: 'd_model * h'
        feedback: |
          Heads do not each get the full width and then some: they split d_model
          between them. Divide instead of multiplying.
    hints:
      - The heads divide the model's width between them in equal slices.
      - d_k = d_model / h.
    explain: |
      Each head works on an equal share of the model's width:
      d_k = d_model / h = `= d_model` / `= h` = `= d_model // h`. Splitting the
      width, rather than giving every head all of it, keeps the layer's cost close
      to that of one full-width head.

"""

@Suite("Fuzz: exercise YAML and learner answers")
struct ExerciseFuzzTests {
    @Test("mutated exercise YAML loads or gives errors located at path:line:col, never a crash (seeded, 400 inputs, 20 s cap)")
    func yaml() {
        var mutator = FuzzMutator(seed: 16)
        let start = ContinuousClock.now
        for index in 0..<400 where ContinuousClock.now - start < .seconds(20) {
            let text = mutator.mutate(seedYAML)
            let result = ExerciseLoader.load(yaml: text, path: "fuzz.yaml", set: "fuzz")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            for diagnostic in result.diagnostics {
                #expect(diagnostic.location.path == "fuzz.yaml", "input \(index)")
                #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= lines + 1, "input \(index): \(diagnostic)")
                #expect(diagnostic.location.column >= 1, "input \(index): \(diagnostic)")
                #expect(!diagnostic.message.isEmpty)
            }
        }
    }

    @Test("mutated learner answers are read or refused with a reason, for every kind of question (seeded, 2,000 inputs)")
    func answers() {
        var mutator = FuzzMutator(seed: 11)
        let seeds = ["64", "[11, 64]", "11x64", "b", "a, c", "768/12", "d_k = 64", "64 dims", "(11, 64)", "softmax"]
        for index in 0..<2_000 {
            let input = mutator.mutate(seeds[index % seeds.count])
            let readings = [AnswerReader.number(input), AnswerReader.shape(input), AnswerReader.choice(input, options: ["one", "two", "three"]),
                            AnswerReader.choices(input, options: ["one", "two", "three"]), AnswerReader.text(input)]
            for reading in readings {
                if case .unreadable(let reason) = reading { #expect(!reason.isEmpty, "input \(index): \(input.debugDescription)") }
            }
        }
    }
}
