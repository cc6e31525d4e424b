import AttentionCore
import Foundation
import MarkdownTerminal
import Testing
import LiveValues
import ExpressionLanguage
@testable import Lessons

@Suite("Lesson parameters and conditional text") struct LessonParametersTests {
    private func render(_ lesson: LessonEvaluation) -> String {
        TerminalRenderer(width: 200, color: false).render(lesson.document)
    }

    private let lesson = """
        # Heads

        ```params
        d_model = 768 from d_model
        heads = 12 from heads
        kv_heads = 12 from kv_heads
        ```

        ```mha
        layer = mha(d_model: d_model, heads: heads, kv_heads: kv_heads)
        ```

        Width `= layer.d_model`, `= layer.heads` heads of `= layer.d_k`.<!-- if layer.kv_heads < layer.heads --> They share `= layer.kv_heads` K/V heads.<!-- else --> Each has its own keys.<!-- end --> End.

        <!-- if layer.kind == "GQA" -->
        Groups of `= layer.group_size`.
        <!-- end -->

        """

    @Test("a params block binds its defaults, and the lesson reads as written")
    func defaults() throws {
        let evaluated = LessonEvaluation(source: lesson, path: "l.md")
        #expect(evaluated.diagnostics.isEmpty)
        let text = render(evaluated)
        #expect(text.contains("Width 768, 12 heads of 64. Each has its own keys. End."))
        #expect(!text.contains("share"))
        #expect(!text.contains("Groups of"))
        #expect(!text.contains("params"), "the params block shows nothing")
        #expect(evaluated.conditionsMet == 0 && evaluated.conditionsUnmet == 2)
    }

    @Test("--model rebinds every parameter fed by a model field, and the conditional sentence and paragraph come in")
    func rebindByModel() throws {
        let model = try ModelValue(named: "llama-3-8b")
        let evaluated = LessonEvaluation(source: lesson, path: "l.md", binding: LessonBinding(model: model))
        #expect(evaluated.diagnostics.isEmpty)
        let text = render(evaluated)
        #expect(text.contains("Width 4096, 32 heads of 128. They share 8 K/V heads. End."))
        #expect(text.contains("Groups of 4."))
        #expect(!text.contains("its own keys"))
        #expect(evaluated.parameters.map(\.value) == [.integer(4096), .integer(32), .integer(8)])
    }

    @Test("--model with a config.json rebinds the lesson from the file's fields")
    func rebindByConfigFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-params-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.json")
        try Data(#"{"model_type": "llama", "hidden_size": 2048, "num_attention_heads": 16, "num_key_value_heads": 4, "num_hidden_layers": 8}"#.utf8).write(to: file)
        let model = ModelValue(published: PublishedModel(configuration: try ConfigReader.read(contentsOf: file)))
        let evaluated = LessonEvaluation(source: lesson, path: "l.md", binding: LessonBinding(model: model))
        #expect(evaluated.diagnostics.isEmpty)
        let text = render(evaluated)
        #expect(text.contains("Width 2048, 16 heads of 128. They share 4 K/V heads. End."))
        #expect(text.contains("Groups of 4."))
    }

    @Test("--given sets a parameter by hand and wins over the model")
    func given() throws {
        let given = try LessonBinding.parseGiven("heads=8,kv_heads=1")
        let evaluated = LessonEvaluation(source: lesson, path: "l.md",
                                         binding: LessonBinding(model: try ModelValue(named: "llama-3-8b"), given: given))
        let text = render(evaluated)
        #expect(text.contains("Width 4096, 8 heads of 512. They share 1 K/V heads. End."))
        #expect(LessonParameters.unknownGiven(["hedas": .integer(3)], parameters: LessonParameters.declared(in: lesson))?
            .contains("did you mean `heads`?") == true)
        #expect(throws: LessonParameterError.self) { try LessonBinding.parseGiven("heads") }
    }

    @Test("a claim that breaks for one catalog model is reported at its line with that model's name")
    func breakingClaimNamesTheModel() throws {
        let source = "# T\n\n```params\nheads = 12 from heads\nkv_heads = 12 from kv_heads\n```\n\n```mha\nexpect kv_heads == heads\n```\n"
        let models = try ["gpt-2-small", "llama-3-8b", "bert-base"].map { try ModelValue(named: $0) }
        let report = LessonChecker.check(source: source, path: "t.md", models: models)
        #expect(report.bindings == 4)
        #expect(report.diagnostics.map(\.description) == [
            "t.md:9:8: error: claim is false: kv_heads is 8, but heads is 32. (with --model llama-3-8b)"
        ])
        #expect(report.claims == 4 && report.claimsProved == 3)
    }

    @Test("a lesson without parameters fed by a model is checked once, whatever --models says")
    func noParamsCheckedOnce() throws {
        let report = LessonChecker.check(source: "# T\n\n```mha\nexpect 1 == 1\n```\n", path: "t.md", models: [try ModelValue(named: "llama-3-8b")])
        #expect(report.bindings == 1 && report.claims == 1)
    }

    @Test("broken params lines and conditions are reported at their place")
    func mistakes() {
        let source = """
            # T

            ```params
            heads = 12 from hedas
            just words
            ```

            A<!-- if 3 --> three<!-- end --> b <!-- if true --> open.

            <!-- end -->

            """
        let evaluated = LessonEvaluation(source: source, path: "t.md")
        #expect(evaluated.diagnostics.map(\.description) == [
            "t.md:4:17: error: a published model has no field `hedas`; did you mean `heads`?",
            "t.md:5:1: error: expected `NAME = DEFAULT` or `NAME = DEFAULT from FIELD` in a params block; got `just words`.",
            "t.md:8:10: error: a condition must be true or false; `3` is an integer (3).",
            "t.md:8:44: error: this `<!-- if … -->` has no `<!-- end -->` after it in the same paragraph.",
            "t.md:10:1: error: this `<!-- end -->` has no `<!-- if … -->` before it at the same level.",
        ])
    }

    @Test("a params block after an mha block, and a second params block, are errors")
    func paramsPlacement() {
        let source = "# T\n\n```mha\nx = 1\n```\n\n```params\na = 1\n```\n\n```params\nb = 2\n```\n"
        let messages = LessonEvaluation(source: source, path: "t.md").diagnostics.map(\.description)
        #expect(messages == [
            "t.md:7:1: error: the ```params block must come before the first ```mha block, so every block sees the parameters.",
            "t.md:11:1: error: a lesson has one ```params block; merge this one into the first.",
        ])
    }

    @Test("a --given value of the wrong kind is refused at the parameter")
    func givenKind() throws {
        let evaluated = LessonEvaluation(source: lesson, path: "l.md", binding: LessonBinding(given: ["heads": .string("many")]))
        #expect(evaluated.diagnostics.first?.message.contains("--given heads=") == true)
    }
}
