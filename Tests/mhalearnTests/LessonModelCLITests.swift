import Foundation
import Testing

/// `lesson --model`, `lesson --given` and `check --models`, run as a user runs them.
@Suite("Lessons recomputed for a model") struct LessonModelCLITests {
    private func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "│" }).joined(separator: " ")
    }

    @Test("lesson multi-head --model llama-3-8b says what it is computed for and shows Llama 3 8B's numbers")
    func lessonForCatalogModel() throws {
        let result = try CLI.run(["lesson", "multi-head", "--model", "llama-3-8b", "--width", "100"], environment: ["MHALEARN_MODEL": "none"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = flat(result.stdout)
        #expect(text.contains("Computed for Llama 3 8B (GQA, d_model 4096, 32 heads), with d_model = 4096, heads = 32, kv_heads = 8, head_dim = 128."))
        #expect(text.contains("With d_model = 4096 and h = 32 heads, every head works in d_k = 128 dimensions. The heads"))
        #expect(text.contains("here 8, so each K/V head serves 4 query heads"))
        #expect(!text.contains("kv = h here"))
    }

    @Test("lesson multi-head --model path/config.json reads the file's fields; a model whose heads are not d_model / h gets the other sentence")
    func lessonForConfigFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-lesson-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.json")
        try Data(#"{"model_type": "qwen3", "hidden_size": 1024, "num_attention_heads": 16, "num_key_value_heads": 8, "head_dim": 128, "num_hidden_layers": 28}"#.utf8).write(to: file)
        let result = try CLI.run(["lesson", "multi-head", "--model", file.path, "--width", "100"], environment: ["MHALEARN_MODEL": "none"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = flat(result.stdout)
        #expect(text.contains("with d_model = 1024, heads = 16, kv_heads = 8, head_dim = 128."))
        #expect(text.contains("With d_model = 1024 and h = 16 heads, every head works in d_k = 128 dimensions, not d_model / h: this lesson is computed for a model that sets its head width on its own, so its heads together are 2048 wide. The heads"))
    }

    @Test("--given sets parameters by hand; an unknown one is a usage error naming the parameters")
    func lessonGiven() throws {
        let result = try CLI.run(["lesson", "multi-head", "--given", "d_model=1024,heads=16", "--width", "100"], environment: ["MHALEARN_MODEL": "none"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(flat(result.stdout).contains("every head works in d_k = 64 dimensions"))
        let wrong = try CLI.run(["lesson", "multi-head", "--given", "hedas=16"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("its parameters are d_model, heads, kv_heads, head_dim; did you mean `heads`?"))
        let unknown = try CLI.run(["lesson", "multi-head", "--model", "llama-9"])
        #expect(unknown.status == 64)
    }

    @Test("check --models proves a lesson for the models named; an unknown name is a usage error")
    func checkModels() throws {
        let result = try CLI.run(["check", "lessons/multi-head.md", "--models", "llama-3-8b,gemma-7b,deepseek-v2"], environment: ["MHALEARN_MODEL": "none"], cwd: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(4 evaluations: defaults and each model)"))
        let bad = try CLI.run(["check", "--models", "lama-3-8b"], cwd: CLI.packageRoot)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("llama-3-8b"))
    }

    @Test("practice --model llama-3-8b poses the exercises drawn for Llama 3 8B first, each with that model")
    func practiceForModel() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-practice-model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try CLI.run(["practice", "--model", "llama-3-8b", "--json", "--seed", "1", "--count", "2"], stdin: "",
                                 environment: ["XDG_STATE_HOME": state.path], cwd: CLI.packageRoot)
        let first = try #require(result.stdout.split(separator: "\n").first)
        #expect(first.contains(#""type":"question""#))
        #expect(first.contains("llama-3-8b") || first.contains("Llama 3 8B"), "\(first)")
        let config = try CLI.run(["practice", "--model", "my/config.json"], cwd: CLI.packageRoot)
        #expect(config.status == 64)
        #expect(config.stderr.contains("practice takes a catalog name"))
    }
}
