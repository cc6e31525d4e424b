import Testing
@testable import AttentionCore

@Suite("CatalogModel")
struct CatalogModelTests {
    @Test("model(\"llama-2-70b\") answers the lesson's question: 8 query heads share each K/V head")
    func llama70bMembers() throws {
        let model = try PublishedModel.named("Llama 2 70B")
        #expect(model.name == "llama-2-70b")
        #expect(model.kind == .gqa)
        #expect(model.heads == 64 && model.kvHeads == 8 && model.groupSize == 8)
        #expect(model.attentionComputations == 80 * 64)
        #expect(model.kvCacheBytes(dtype: .bf16) == 80 * 2 * 8 * 128 * 2)
        #expect(model.mhaKVCacheBytes(dtype: .bf16) == model.kvCacheBytes(dtype: .bf16) * 8)
        #expect(model.kvCacheBytesPerLayer(dtype: .fp32) == 2 * 8 * 128 * 4)
        #expect(model.experts == 0 && model.expertsPerToken == 0)
    }

    @Test("DeepSeek-V2 caches 576 numbers per token per layer, about 57 times less than MHA would")
    func deepSeekMembers() throws {
        let model = try PublishedModel.named("deepseek-v2")
        #expect(model.kind == .mla)
        #expect(model.kvLoraRank == 512 && model.ropeDim == 64)
        #expect(model.kvCacheBytes(dtype: .bf16) == 576 * 2 * 60)
        #expect(model.mhaKVCacheBytes(dtype: .bf16) == 2 * 128 * 128 * 2 * 60)
        #expect(model.experts == 160 && model.expertsPerToken == 6)
    }

    @Test("Mixtral's experts are reported but leave its attention numbers those of Mistral")
    func mixtralMatchesMistralAttention() throws {
        let mixtral = try PublishedModel.named("mixtral-8x7b")
        let mistral = try PublishedModel.named("mistral-7b")
        #expect(mixtral.experts == 8 && mixtral.expertsPerToken == 2)
        #expect(mixtral.kvCacheBytes(dtype: .bf16) == mistral.kvCacheBytes(dtype: .bf16))
        #expect(mixtral.attentionComputations == mistral.attentionComputations)
    }

    @Test("the integer members use the expression language's names")
    func integerMemberNames() throws {
        let members = try PublishedModel.named("falcon-7b").integerMembers
        #expect(Set(members.keys) == ["d_model", "heads", "kv_heads", "head_dim", "layers", "group_size",
                                      "attention_computations", "experts", "experts_per_token", "kv_lora_rank", "rope_dim"])
        #expect(members["group_size"] == 71)
        #expect(members["kv_heads"] == 1)
    }

    @Test("an unknown model name throws with the closest suggestion")
    func unknownModelName() throws {
        let error = try #require(throws: UnknownModelError.self) { try PublishedModel.named("llama-2-7") }
        #expect(error.suggestion == "llama-2-7b")
    }

    @Test("a configuration read from a file becomes a published model named after it")
    func modelFromConfiguration() throws {
        let config = try ConfigReader.parse(#"{"hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 3}"#, name: "mine")
        let model = PublishedModel(configuration: config)
        #expect(model.name == "mine")
        #expect(model.kind == .gqa)
        #expect(model.kvCacheBytes(dtype: .int8) == 3 * 2 * 2 * 16)
    }
}
