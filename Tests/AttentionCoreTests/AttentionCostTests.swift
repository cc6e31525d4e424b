import Testing
@testable import AttentionCore

@Suite("AttentionCost")
struct AttentionCostTests {
    @Test("BERT-base attention has 4 · (768·768 + 768) parameters per layer")
    func bertParams() {
        let cost = AttentionCost(config: AttentionConfig(dModel: 768, heads: 12, layers: 12), tokens: 8)
        #expect(cost.paramsQ == 768 * 768 + 768)
        #expect(cost.paramsPerLayer == 4 * (768 * 768 + 768))
        #expect(cost.params == 12 * cost.paramsPerLayer)
        #expect(cost.attentionComputations == 144)
    }

    @Test("Llama-2-70B's GQA caches 2·8·128 numbers per token per layer: 320 KiB per token at bf16 over 80 layers")
    func llamaCache() {
        let config = AttentionConfig(dModel: 8192, heads: 64, kvHeads: 8, bias: false, layers: 80)
        let cost = AttentionCost(config: config, tokens: 1)
        #expect(cost.kvCacheBytesPerTokenPerLayer(.bf16) == 4096)
        #expect(cost.kvCacheBytesPerToken(.bf16) == 327_680)
        #expect(cost.kvCacheBytesPerToken(.fp32) == 655_360)
        #expect(cost.kvCacheBytesPerToken(.int8) == 163_840)
        #expect(cost.paramsK == 8192 * 1024)
        #expect(cost.attentionComputations == 5120)
    }

    @Test("MLA caches the latent plus the shared rotary key: (r + d_r) numbers per token per layer")
    func latentCache() {
        let config = AttentionConfig(dModel: 5120, heads: 128, headDim: 128, kvLoraRank: 512, ropeDim: 64, bias: false, layers: 60)
        let cost = AttentionCost(config: config, tokens: 1)
        #expect(cost.kvCacheValuesPerTokenPerLayer == 576)
        #expect(cost.kvCacheBytesPerToken(.bf16) == 576 * 2 * 60)
        #expect(cost.paramsLatent == 5120 * 512)
        #expect(cost.paramsK == 512 * 128 * 128 + 5120 * 64)
    }

    @Test("multiply-adds per step follow the shapes: T·d·h·d_k for q, h·T·S·d_k for scores")
    func stepCounts() {
        let cost = AttentionCost(config: AttentionConfig(dModel: 64, heads: 4, kvHeads: 2), tokens: 10, sourceTokens: 6)
        let steps = Dictionary(uniqueKeysWithValues: cost.steps.map { ($0.name, $0.multiplyAdds) })
        #expect(steps["q"] == 10 * 64 * 64)
        #expect(steps["k"] == 6 * 64 * 32)
        #expect(steps["v"] == 6 * 64 * 32)
        #expect(steps["scores"] == 4 * 10 * 6 * 16)
        #expect(steps["head_outputs"] == 4 * 10 * 6 * 16)
        #expect(steps["output"] == 10 * 64 * 64)
        #expect(cost.flops == 2 * cost.multiplyAdds)
    }

    @Test("the cost model's multiply-adds equal what a run sends to BLAS, step by step, for every variant")
    func costMatchesRun() throws {
        let configs = [
            (AttentionConfig(dModel: 48, heads: 6), nil as Int?),
            (AttentionConfig(dModel: 48, heads: 6, kvHeads: 2, bias: false), nil),
            (AttentionConfig(dModel: 48, heads: 6, kvHeads: 1, headDim: 5), nil),
            (AttentionConfig(dModel: 48, heads: 6), 9),
            (AttentionConfig(dModel: 48, heads: 6, kvLoraRank: 12, ropeDim: 4), nil),
        ]
        for (config, source) in configs {
            let run = try MultiHeadAttention.seededRun(config: config, tokens: 7, sourceTokens: source, seed: 3)
            let expected = Dictionary(uniqueKeysWithValues: run.cost.steps.map { ($0.name, $0.multiplyAdds) })
            #expect(run.performedMultiplyAdds == expected, "\(config)")
        }
    }

    @Test("the parameter counts equal the sizes of the weights a seeded layer allocates")
    func paramsMatchWeights() throws {
        for config in [AttentionConfig(dModel: 40, heads: 4, kvHeads: 2), AttentionConfig(dModel: 40, heads: 4, kvLoraRank: 6, ropeDim: 2, bias: false)] {
            let layer = try MultiHeadAttention(config: config, seed: 1)
            let cost = AttentionCost(config: config, tokens: 1)
            #expect(layer.weights.projections.values.reduce(0) { $0 + $1.params } == cost.paramsPerLayer)
            for p in cost.projections {
                #expect(layer.weights[p.name]?.params == p.params)
            }
        }
    }

    @Test("counts saturate instead of trapping on absurd sizes")
    func saturation() {
        let cost = AttentionCost(config: AttentionConfig(dModel: 1 << 40, heads: 1 << 20), tokens: 1 << 40)
        #expect(cost.multiplyAdds == Int.max)
    }

    @Test("dtype names parse and carry their byte sizes")
    func dtypes() {
        #expect(DType(rawValue: "bf16")?.bytes == 2)
        #expect(DType(rawValue: "fp16")?.bytes == 2)
        #expect(DType(rawValue: "fp32")?.bytes == 4)
        #expect(DType(rawValue: "int8")?.bytes == 1)
        #expect(DType(rawValue: "fp64") == nil)
    }
}
