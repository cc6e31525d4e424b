import Testing
@testable import AttentionCore

@Suite("ModelConfigurationRun")
struct ModelConfigurationRunTests {
    @Test("a BERT-shaped run reports its heads, head width and cache from the run's tensors")
    func runsMiniLMShape() throws {
        let measured = try ModelCatalog.configuration(named: "all-minilm-l6-v2").run()
        #expect(measured.tokens == 4)
        #expect(measured.run.output.shape == [4, 384])
        #expect(measured.kind == .mha)
        #expect(measured.heads == 12)
        #expect(measured.kvHeads == 12)
        #expect(measured.headDim == 32)
        #expect(measured.cachedValuesPerTokenPerLayer == 2 * 12 * 32)
        #expect(measured.kvCacheBytesPerTokenPerLayer(.bf16) == 1_536)
        #expect(measured.kvCacheBytesPerToken(.bf16) == 9_216)
        #expect(measured.mhaKVCacheBytesPerToken(.bf16) == 9_216)
        #expect(measured.attentionComputations == 72)
        #expect(measured.cacheReduction == 1)
    }

    @Test("a GQA run keeps kv_heads K/V heads and caches group_size times less than MHA")
    func runsGQAShape() throws {
        let config = ModelConfiguration(name: "tiny-gqa", dModel: 256, heads: 8, kvHeads: 2, headDim: 32, layers: 3)
        let measured = try config.run(tokens: 5)
        #expect(measured.run.kHeads.shape == [2, 5, 32])
        #expect(measured.kvHeads == 2)
        #expect(measured.groupSize == 4)
        #expect(measured.cachedValuesPerTokenPerLayer == 128)
        #expect(measured.kvCacheBytesPerToken(.fp32) == 128 * 4 * 3)
        #expect(measured.mhaKVCacheBytesPerToken(.fp32) == 512 * 4 * 3)
        #expect(measured.cacheReduction == 4)
    }

    @Test("an explicit head width wider than d_model / heads is built as stated")
    func runsExplicitHeadDim() throws {
        let config = try ConfigReader.parse(#"{"hidden_size": 96, "num_attention_heads": 4, "head_dim": 64, "num_hidden_layers": 2}"#)
        let measured = try config.run()
        #expect(measured.headDim == 64)
        #expect(measured.run.q.shape == [4, 256])
        #expect(measured.run.output.shape == [4, 96])
    }

    @Test("an MLA run caches the latent plus the rotary key, far less than MHA")
    func runsMLAShape() throws {
        let config = try ConfigReader.parse(#"{"hidden_size": 128, "num_attention_heads": 4, "num_hidden_layers": 2, "kv_lora_rank": 32, "q_lora_rank": null, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 16}"#)
        let measured = try config.run()
        #expect(measured.kind == .mla)
        #expect(measured.run.latent?.shape == [4, 32])
        #expect(measured.run.kRope?.shape == [4, 8])
        #expect(measured.cachedValuesPerTokenPerLayer == 40)
        #expect(measured.kvCacheBytesPerToken(.bf16) == 40 * 2 * 2)
        #expect(measured.mhaKVCacheBytesPerToken(.bf16) == 2 * 4 * 16 * 2 * 2)
        #expect(measured.headDim == 16)
    }

    @Test("an MLA model whose value width differs from its key width cannot be built, and says why")
    func mlaValueWidthMismatch() throws {
        let config = try ConfigReader.parse(#"{"hidden_size": 128, "num_attention_heads": 4, "num_hidden_layers": 2, "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 24}"#)
        let error = try #require(throws: AttentionError.self) { try config.run() }
        #expect(error.message.contains("v_head_dim is 24"))
    }

    @Test("the MHA comparison keeps the head width and drops the sharing")
    func mhaComparisonConfig() throws {
        let config = try ModelCatalog.configuration(named: "gemma-2b")
        #expect(config.attentionConfig.kvHeads == 1)
        #expect(config.mhaAttentionConfig.kvHeads == 8)
        #expect(config.mhaAttentionConfig.headDim == 256)
        #expect(config.mhaAttentionConfig.kvLoraRank == 0)
    }

    @Test("for catalog models small enough to run in a test, the run's tensors agree with the cost model", arguments: [
        "all-minilm-l6-v2", "gpt-2-small", "bert-base", "t5-base", "gemma-2b", "falcon-7b", "deepseek-v2-lite",
    ])
    func runAgreesWithCostModel(id: String) throws {
        let model = try PublishedModel.named(id)
        let measured = try model.measure()
        #expect(measured.cachedValuesPerTokenPerLayer == measured.run.cost.kvCacheValuesPerTokenPerLayer)
        #expect(measured.heads == model.heads)
        #expect(measured.kvHeads == model.kvHeads)
        #expect(measured.headDim == model.headDim)
        #expect(measured.attentionComputations == model.attentionComputations)
        #expect(measured.kvCacheBytesPerToken(.bf16) == model.kvCacheBytes(dtype: .bf16))
        #expect(measured.mhaKVCacheBytesPerToken(.bf16) == model.mhaKVCacheBytes(dtype: .bf16))
        #expect(measured.kind == model.kind)
    }
}
