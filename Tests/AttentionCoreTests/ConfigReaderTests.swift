import Foundation
import Testing
@testable import AttentionCore

/// The folder of config.json fixtures copied into the test bundle.
func configFixture(_ name: String) throws -> URL {
    let root = try #require(Bundle.module.resourceURL)
    return root.appendingPathComponent("Fixtures/configs").appendingPathComponent(name)
}

@Suite("ConfigReader")
struct ConfigReaderTests {
    @Test("a BERT-style config (hidden_size, num_attention_heads, num_hidden_layers) reads as MHA with d_model / heads per head")
    func readsBertConvention() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("all-minilm-l6-v2"))
        #expect(config.name == "nreimers/MiniLM-L6-H384-uncased")
        #expect(config.modelType == "bert")
        #expect(config.dModel == 384)
        #expect(config.heads == 12)
        #expect(config.kvHeads == 12)
        #expect(config.headDim == 32)
        #expect(!config.headDimIsExplicit)
        #expect(config.layers == 6)
        #expect(config.kind == .mha)
        #expect(config.experts == nil)
    }

    @Test("a GPT-2 config (n_embd, n_head, n_layer) reads as 25 heads of 64")
    func readsGPT2Convention() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("gpt2-xl.json"))
        #expect(config.name == "gpt2-xl")
        #expect(config.dModel == 1600)
        #expect(config.heads == 25)
        #expect(config.headDim == 64)
        #expect(config.layers == 48)
        #expect(config.kind == .mha)
    }

    @Test("a T5 config (d_model, num_heads, d_kv, num_layers) takes d_kv as the explicit head width")
    func readsT5Convention() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("t5-base.json"))
        #expect(config.dModel == 768)
        #expect(config.heads == 12)
        #expect(config.headDim == 64)
        #expect(config.headDimIsExplicit)
        #expect(config.layers == 12)
        #expect(config.decoderLayers == 12)
    }

    @Test("T5's d_kv wins over d_model / heads when the two differ")
    func t5DkvWins() throws {
        let config = try ConfigReader.parse(#"{"d_model": 1024, "num_heads": 128, "d_kv": 128, "num_layers": 24}"#)
        #expect(config.headDim == 128)
        #expect(!config.headDimEqualsSplit)
    }

    @Test("Gemma's explicit head_dim 256 is kept although 3072 / 16 is 192")
    func readsGemmaExplicitHeadDim() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("gemma-7b.json"))
        #expect(config.headDim == 256)
        #expect(config.headDimIsExplicit)
        #expect(!config.headDimEqualsSplit)
        #expect(config.dModel / config.heads == 192)
    }

    @Test("falcon-7b is MQA: multi_query true outranks its num_kv_heads of 71")
    func readsFalcon7bAsMQA() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("falcon-7b.json"))
        #expect(config.heads == 71)
        #expect(config.kvHeads == 1)
        #expect(config.kind == .mqa)
        #expect(config.headDim == 64)
        #expect(config.dModel == 4544)
        #expect(config.layers == 32)
    }

    @Test("falcon-40b's new_decoder_architecture uses num_kv_heads: GQA with 8 K/V heads")
    func readsFalcon40bAsGQA() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("falcon-40b.json"))
        #expect(config.kvHeads == 8)
        #expect(config.kind == .gqa)
        #expect(config.groupSize == 16)
    }

    @Test("the old RefinedWeb Falcon fields (n_head, n_head_kv, n_layer) read the same way")
    func readsRefinedWebFields() throws {
        let config = try ConfigReader.parse(#"{"model_type": "RefinedWeb", "hidden_size": 8192, "n_head": 128, "n_head_kv": 8, "n_layer": 60}"#)
        #expect(config.kvHeads == 8)
        #expect(config.layers == 60)
    }

    @Test("Falcon with new_decoder_architecture but no K/V-head field is an error naming num_kv_heads")
    func falconNewArchitectureNeedsKVHeads() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.parse(#"{"model_type": "falcon", "hidden_size": 8192, "num_attention_heads": 128, "new_decoder_architecture": true, "num_hidden_layers": 60}"#)
        }
        #expect(error.field == "num_kv_heads")
        #expect(error.message.contains("num_kv_heads"))
    }

    @Test("GPT-BigCode's multi_query true means one shared K/V head")
    func readsGPTBigCodeMultiQuery() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("gpt-bigcode.json"))
        #expect(config.kvHeads == 1)
        #expect(config.kind == .mqa)
        #expect(config.headDim == 128)
    }

    @Test("GPT-BigCode with multi_query false is plain MHA")
    func gptBigCodeWithoutMultiQuery() throws {
        let config = try ConfigReader.parse(#"{"model_type": "gpt_bigcode", "n_embd": 2048, "n_head": 16, "n_layer": 24, "multi_query": false}"#)
        #expect(config.kvHeads == 16)
        #expect(config.kind == .mha)
    }

    @Test("Llama-style num_key_value_heads makes GQA with heads / kv_heads per group")
    func readsLlamaKeyValueHeads() throws {
        let config = try ConfigReader.parse(#"{"model_type": "llama", "hidden_size": 8192, "num_attention_heads": 64, "num_key_value_heads": 8, "num_hidden_layers": 80}"#)
        #expect(config.kind == .gqa)
        #expect(config.groupSize == 8)
        #expect(config.headDim == 128)
    }

    @Test("a null num_key_value_heads falls back to one K/V head per query head")
    func nullKeyValueHeadsIsMHA() throws {
        let config = try ConfigReader.parse(#"{"hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": null, "num_hidden_layers": 32}"#)
        #expect(config.kvHeads == 32)
    }

    @Test("ChatGLM's multi_query_group_num and kv_channels give its K/V heads and head width")
    func readsChatGLM() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("chatglm.json"))
        #expect(config.kvHeads == 2)
        #expect(config.headDim == 128)
        #expect(config.layers == 28)
        #expect(config.groupSize == 16)
    }

    @Test("Mixtral's num_local_experts and num_experts_per_tok become the mixture of experts")
    func readsMixtralExperts() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("mixtral-8x7b.json"))
        #expect(config.experts == MixtureOfExperts(experts: 8, expertsPerToken: 2, sharedExperts: 0))
        #expect(config.kind == .gqa)
        #expect(config.heads == 32)
    }

    @Test("DeepSeek-V2's latent fields make MLA, with routed and shared experts")
    func readsDeepSeekMLA() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("deepseek-v2.json"))
        #expect(config.kind == .mla)
        #expect(config.latent == LatentAttention(kvLoraRank: 512, qLoraRank: 1536, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128))
        #expect(config.latent?.cachedWidth == 576)
        #expect(config.headDim == 128)
        #expect(config.kvHeads == 128)
        #expect(config.layers == 60)
        #expect(config.experts == MixtureOfExperts(experts: 160, expertsPerToken: 6, sharedExperts: 2))
    }

    @Test("an MLA config missing qk_rope_head_dim is an error naming that field")
    func mlaNeedsRopeDim() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.parse(#"{"hidden_size": 5120, "num_attention_heads": 128, "num_hidden_layers": 60, "kv_lora_rank": 512, "qk_nope_head_dim": 128, "v_head_dim": 128}"#)
        }
        #expect(error.field == "qk_rope_head_dim")
    }

    @Test("a multimodal wrapper is read through its text_config")
    func readsTextConfig() throws {
        let config = try ConfigReader.read(contentsOf: configFixture("ministral-text-config.json"))
        #expect(config.modelType == "ministral3")
        #expect(config.dModel == 3072)
        #expect(config.heads == 32)
        #expect(config.kvHeads == 8)
        #expect(config.headDim == 128)
        #expect(config.layers == 26)
    }

    @Test("a config without any head-count field is an error that names the fields it tried")
    func missingHeadsNamesFields() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.read(contentsOf: configFixture("no-heads.json"))
        }
        #expect(error.field == "num_attention_heads")
        #expect(error.message.contains("num_attention_heads, n_head, num_heads"))
        #expect(error.description.hasSuffix("no-heads.json: error: \(error.message)"))
    }

    @Test("a head width that neither the config states nor d_model / heads gives is an error naming head_dim")
    func unresolvableHeadDim() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.parse(#"{"hidden_size": 1000, "num_attention_heads": 12, "num_hidden_layers": 2}"#)
        }
        #expect(error.field == "head_dim")
        #expect(error.message.contains("not divisible"))
    }

    @Test("a K/V-head count that does not divide the query heads is an error at that field's line")
    func kvHeadsMustDivideHeads() throws {
        let text = "{\n  \"hidden_size\": 4096,\n  \"num_attention_heads\": 32,\n  \"num_key_value_heads\": 5,\n  \"num_hidden_layers\": 32\n}"
        let error = try #require(throws: ConfigError.self) { try ConfigReader.parse(text, path: "x/config.json") }
        #expect(error.field == "num_key_value_heads")
        #expect(error.line == 4)
        #expect(error.column == 3)
        #expect(error.description.hasPrefix("x/config.json:4:3: error: "))
    }

    @Test("a head count written as a string is an error, not a guess")
    func stringCountIsRejected() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.parse(#"{"hidden_size": 768, "num_attention_heads": "12", "num_hidden_layers": 12}"#)
        }
        #expect(error.field == "num_attention_heads")
        #expect(error.message.contains("the string \"12\""))
    }

    @Test("experts without num_experts_per_tok is an error naming it")
    func expertsNeedPerToken() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.parse(#"{"hidden_size": 4096, "num_attention_heads": 32, "num_hidden_layers": 32, "num_local_experts": 8}"#)
        }
        #expect(error.field == "num_experts_per_tok")
    }

    @Test("zero routed experts means a dense model")
    func zeroExpertsIsDense() throws {
        let config = try ConfigReader.parse(#"{"hidden_size": 4096, "num_attention_heads": 32, "num_hidden_layers": 32, "num_experts": 0}"#)
        #expect(config.experts == nil)
    }

    @Test("malformed JSON is reported with the line and column of the mistake")
    func malformedJSONHasLocation() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.read(contentsOf: configFixture("malformed.json"))
        }
        #expect(error.line == 4)
        #expect(error.column == 3)
        #expect(error.message.contains("expected ','"))
    }

    @Test("a top-level list is not a config")
    func topLevelMustBeObject() throws {
        let error = try #require(throws: ConfigError.self) { try ConfigReader.parse("[1, 2]") }
        #expect(error.message.contains("JSON object"))
    }

    @Test("a file that does not exist is a clear error")
    func missingFile() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigReader.read(contentsOf: URL(fileURLWithPath: "/nonexistent/mhalearn/config.json"))
        }
        #expect(error.path == "/nonexistent/mhalearn/config.json")
        #expect(error.message.contains("cannot read"))
    }

    @Test("a config without _name_or_path is named after its folder, or after the name given")
    func namesFromFolderOrArgument() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-tiny-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = #"{"hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 1}"#
        try Data(text.utf8).write(to: folder.appendingPathComponent("config.json"))
        #expect(try ConfigReader.read(contentsOf: folder).name == folder.lastPathComponent)
        #expect(try ConfigReader.read(contentsOf: folder, name: "tiny").name == "tiny")
    }

    @Test("a file far too large to be a config (weights passed by mistake) is refused before it is read")
    func refusesHugeFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-huge-\(UUID().uuidString).safetensors")
        try Data(count: ConfigReader.maximumFileBytes + 1).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = try #require(throws: ConfigError.self) { try ConfigReader.read(contentsOf: file) }
        #expect(error.message.contains("too large for a config.json"))
    }
}
