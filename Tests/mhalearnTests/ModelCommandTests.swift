import Foundation
import MarkdownTerminal
import Testing

/// Parses `text` as a JSON object, recording an issue when it is not one.
private func jsonObject(_ text: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any])
}

/// Writes `text` as `config.json` in a fresh folder named `name` and returns the folder.
private func temporaryConfig(_ text: String, folder name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("mhalearn-model-\(UUID().uuidString)").appendingPathComponent(name)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: folder.appendingPathComponent("config.json"))
    return folder
}

@Suite("ModelCommand")
struct ModelCommandTests {
    /// Llama 3.1 405B's attention shape (Hugging Face meta-llama/Llama-3.1-405B, config.json): one layer's
    /// weights alone are about 2.1 GiB in fp32, more than the old fixed 2 GiB budget.
    static let llama405B = """
    {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 16384, "num_attention_heads": 128,
     "num_key_value_heads": 8, "num_hidden_layers": 126, "intermediate_size": 53248, "vocab_size": 128256,
     "max_position_embeddings": 131072, "rope_theta": 500000.0}
    """

    @Test("mhalearn model explains Llama 3.1 405B: its one layer fits the budget derived from physical memory")
    func explains405B() throws {
        let folder = try temporaryConfig(ModelCommandTests.llama405B, folder: "llama-3.1-405b")
        let result = try CLI.run(["model", folder.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try jsonObject(result.stdout)
        #expect(json["heads"] as? Int == 128)
        #expect(json["kv_heads"] as? Int == 8)
    }

    @Test("with a budget too small for the layer, model says how much it needs and how to raise the budget")
    func budgetTooSmall() throws {
        let folder = try temporaryConfig(ModelCommandTests.llama405B, folder: "llama-3.1-405b")
        let result = try CLI.run(["model", folder.path], environment: ["MHALEARN_MEMORY_BUDGET": "1G"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("MHALEARN_MEMORY_BUDGET"))
    }

    @Test("mhalearn model falcon-7b explains multi-query attention with numbers from the run")
    func explainsFalcon() throws {
        let result = try CLI.run(["model", "falcon-7b", "--width", "300"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Falcon 7B (falcon-7b)\n"))
        #expect(result.stdout.contains("MQA: multi-query attention, all 71 query heads share one K/V head"))
        #expect(result.stdout.contains("head dim                64 = d_model / heads (4544 / 71)"))
        #expect(result.stdout.contains("2272 per forward pass (32 layers × 71 heads)"))
        #expect(result.stdout.contains("8192 bytes (8 KiB) in bf16, all 32 layers"))
        #expect(result.stdout.contains("581,632 bytes"))
        #expect(result.stdout.contains("71× more"))
        #expect(result.stdout.contains("k_heads [1, 4, 64] and v_heads [1, 4, 64]"))
        #expect(result.stdout.contains("source: Hugging Face tiiuae/falcon-7b"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test("model names are matched ignoring case and dashes, and Hugging Face ids work")
    func tolerantNames() throws {
        for name in ["Falcon-7B", "falcon 7b", "tiiuae/falcon-7b"] {
            let result = try CLI.run(["model", name, "--json"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(try jsonObject(result.stdout)["name"] as? String == "falcon-7b")
        }
    }

    @Test("--json gives the issue's fields, numbers from the run")
    func jsonFields() throws {
        let result = try CLI.run(["model", "gpt-2-small", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try jsonObject(result.stdout)
        for key in ["name", "kind", "d_model", "heads", "kv_heads", "head_dim", "layers", "attention_computations",
                    "kv_cache_bytes_per_token", "mha_kv_cache_bytes_per_token"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["kind"] as? String == "MHA")
        #expect(object["head_dim"] as? Int == 64)
        #expect(object["attention_computations"] as? Int == 144)
        #expect(object["kv_cache_bytes_per_token"] as? Int == 12 * 2 * 768 * 2)
        #expect(object["kv_cache_bytes_per_token"] as? Int == object["mha_kv_cache_bytes_per_token"] as? Int)
        #expect(object["experts"] == nil)
        #expect(object["kv_lora_rank"] == nil)
    }

    @Test("an MLA mixture-of-experts model gets its latent fields, its expert fields and the experts line")
    func mlaAndExperts() throws {
        let text = try CLI.run(["model", "deepseek-v2-lite", "--width", "300"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("MLA: multi-head latent attention"))
        #expect(text.stdout.contains("kv_lora_rank 512 + rotary key qk_rope_head_dim 64 = 576 values cached per token per layer"))
        #expect(text.stdout.contains("Experts are feed-forward networks, not attention heads"))
        #expect(text.stdout.contains("its latent [4, 512] and k_rope [4, 64] hold 576 values"))
        let json = try jsonObject(try CLI.run(["model", "deepseek-v2-lite", "--json"]).stdout)
        #expect(json["kind"] as? String == "MLA")
        #expect(json["kv_lora_rank"] as? Int == 512)
        #expect(json["qk_rope_head_dim"] as? Int == 64)
        #expect(json["kv_cache_bytes_per_token"] as? Int == 576 * 2 * 27)
        #expect(json["mha_kv_cache_bytes_per_token"] as? Int == 2 * 16 * 128 * 2 * 27)
        #expect(json["experts"] as? Int == 64)
        #expect(json["experts_per_token"] as? Int == 6)
        #expect(json["shared_experts"] as? Int == 2)
    }

    @Test("--list shows every catalog model with its source; --list --json gives them as data")
    func listsCatalog() throws {
        let result = try CLI.run(["model", "--list"])
        #expect(result.status == 0)
        for id in ["gpt-2-small", "gpt-2-xl", "bert-base", "bert-large", "t5-base", "llama-2-7b", "llama-2-70b", "llama-3-8b",
                   "mistral-7b", "mixtral-8x7b", "falcon-7b", "falcon-40b", "gemma-2b", "gemma-7b", "deepseek-v2", "deepseek-v3",
                   "all-minilm-l6-v2"] {
            #expect(result.stdout.contains(id), "\(id) missing from --list")
        }
        #expect(result.stdout.contains("source: Hugging Face meta-llama/Llama-2-70b-hf, config.json"))
        let json = try CLI.run(["model", "--list", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count >= 15)
        #expect(Set(rows.compactMap { $0["kind"] as? String }) == ["MHA", "GQA", "MQA", "MLA"])
    }

    @Test("an unknown name exits 64 and suggests the closest model")
    func unknownNameSuggests() throws {
        let result = try CLI.run(["model", "llama-70b"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no published model named 'llama-70b'"))
        #expect(result.stderr.contains("Did you mean 'llama-2-70b'?"))
    }

    @Test("a config.json folder is read and explained, named after the folder")
    func readsConfigFolder() throws {
        let folder = try temporaryConfig(#"{"hidden_size": 96, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "num_hidden_layers": 3}"#, folder: "tiny-gqa")
        let result = try CLI.run(["model", folder.path, "--width", "300"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("tiny-gqa\n"))
        #expect(result.stdout.contains("GQA: grouped-query attention, each K/V head is shared by 2 query heads"))
        #expect(result.stdout.contains("32 (set explicitly), not d_model / heads = 96 / 4 = 24"))
        #expect(result.stdout.contains("source: \(folder.path)"))
        let json = try jsonObject(try CLI.run(["model", folder.appendingPathComponent("config.json").path, "--json"]).stdout)
        #expect(json["kv_cache_bytes_per_token"] as? Int == 3 * 2 * 2 * 32 * 2)
        #expect(json["head_dim_equals_d_model_over_heads"] as? Bool == false)
    }

    @Test("a malformed config.json exits 1 with path:line:col")
    func malformedConfigFile() throws {
        let folder = try temporaryConfig("{\n  \"hidden_size\": 768,\n  \"num_attention_heads\": 12\n  \"num_hidden_layers\": 12\n}\n", folder: "broken")
        let path = folder.appendingPathComponent("config.json").path
        let result = try CLI.run(["model", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path):4:3: error: expected ',' or '}'"))
    }

    @Test("a config.json missing the head count exits 1 naming the fields it tried")
    func unresolvableConfigFile() throws {
        let folder = try temporaryConfig(#"{"hidden_size": 768, "num_hidden_layers": 12}"#, folder: "headless")
        let result = try CLI.run(["model", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: cannot resolve the number of attention heads: the config states none of num_attention_heads, n_head"))
    }

    @Test("a path that does not exist exits 64")
    func missingPath() throws {
        let result = try CLI.run(["model", "./no/such/config.json"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no such file or folder"))
    }

    @Test("a folder without a config.json exits 64 and says so")
    func folderWithoutConfig() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-model-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["model", folder.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("holds no config.json"))
    }

    @Test("a truncated config.json exits 1 saying where the file ends")
    func truncatedConfig() throws {
        let folder = try temporaryConfig(#"{"hidden_size": 768, "num_attention_heads": 12"#, folder: "cut")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let result = try CLI.run(["model", folder.appendingPathComponent("config.json").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("config.json:1:"))
        #expect(result.stderr.contains("ends inside an object"))
    }

    @Test("a model too large for the core's memory limit exits 1 with the core's reason")
    func tooLargeToBuild() throws {
        let folder = try temporaryConfig(#"{"hidden_size": 65536, "num_attention_heads": 64, "num_hidden_layers": 1}"#, folder: "huge")
        let result = try CLI.run(["model", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot build huge's layer"))
        #expect(result.stderr.contains("limit"))
    }

    @Test("usage mistakes exit 64: no model, or a model together with --list")
    func usageErrors() throws {
        #expect(try CLI.run(["model"]).status == 64)
        let both = try CLI.run(["model", "gpt-2-small", "--list"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("not both"))
    }

    @Test("--width wraps the explanation to the given number of columns")
    func wrapsToWidth() throws {
        let result = try CLI.run(["model", "gpt-2-small", "--width", "50"])
        #expect(result.status == 0)
        for line in result.stdout.split(separator: "\n") where line.contains(" ") {
            #expect(line.count <= 50 || !line.dropFirst(6).contains(" "), "too wide: \(line)")
        }
    }

    @Test("mhalearn model --help explains names, paths and where the numbers come from")
    func helpExplains() throws {
        let result = try CLI.run(["model", "--help"])
        #expect(result.status == 0)
        let flat = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(result.stdout.contains("--list"))
        #expect(result.stdout.contains("--json"))
        #expect(result.stdout.contains("config.json"))
        #expect(flat.contains("run on 4 tokens"))
    }

    @Test("--dtype changes the bytes per cached number; an unknown dtype exits 64")
    func dtypeOption() throws {
        let bf16 = try jsonObject(try CLI.run(["model", "gemma-2b", "--json"]).stdout)
        let int8 = try jsonObject(try CLI.run(["model", "gemma-2b", "--json", "--dtype", "int8"]).stdout)
        #expect(int8["kv_cache_dtype"] as? String == "int8")
        let bf16Bytes = try #require(bf16["kv_cache_bytes_per_token"] as? Int)
        #expect(int8["kv_cache_bytes_per_token"] as? Int == bf16Bytes / 2)
        let text = try CLI.run(["model", "gemma-2b", "--dtype", "fp32", "--width", "300"])
        #expect(text.stdout.contains("36,864 bytes (36 KiB) in fp32, all 18 layers"))
        let bad = try CLI.run(["model", "gemma-2b", "--dtype", "fp8"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--dtype fp8: use one of fp32, bf16, fp16, int8"))
    }

    @Test("--color always styles the labels; NO_COLOR and a pipe keep the text plain")
    func colourChoices() throws {
        let always = try CLI.run(["model", "gpt-2-small", "--color", "always"])
        #expect(always.stdout.contains("\u{1B}[1mGPT-2 small (gpt-2-small)"))
        let plain = try CLI.run(["model", "gpt-2-small"], environment: ["NO_COLOR": "1"])
        #expect(!plain.stdout.contains("\u{1B}"))
        #expect(plain.stdout.hasPrefix("GPT-2 small (gpt-2-small)\n"))
    }
}

@Test("model and model --list fit --width at 20, 40 and 80 columns", arguments: [20, 40, 80])
func modelFitsWidth(width: Int) throws {
    for arguments in [["llama-2-70b"], ["deepseek-v2-lite"], ["--list"]] {
        let result = try CLI.run(["model"] + arguments + ["--width", "\(width)", "--color", "never"])
        #expect(result.status == 0)
        let long = result.stdout.split(separator: "\n").filter { displayWidth(String($0)) > width }
        #expect(long.isEmpty, "wider than \(width): \(long)")
    }
}
