import Testing
@testable import AttentionCore

@Suite("AttentionWeights")
struct AttentionWeightsTests {
    @Test("a projection refuses a non-matrix weight or a bias of the wrong length")
    func linearShapes() {
        #expect(throws: AttentionError.self) { try Linear(weight: Tensor(zeros: [4])) }
        #expect(throws: AttentionError.self) { try Linear(weight: Tensor(zeros: [4, 3]), bias: Tensor(zeros: [4])) }
    }

    @Test("seeded weights have the [in, out] shapes the configuration names, biases only when asked")
    func seededShapes() {
        let w = AttentionWeights.seeded(config: AttentionConfig(dModel: 16, heads: 4, kvHeads: 2, bias: false), seed: 0)
        #expect(w["W_Q"]?.weight.shape == [16, 16])
        #expect(w["W_K"]?.weight.shape == [16, 8])
        #expect(w["W_O"]?.weight.shape == [16, 16])
        #expect(w["W_K"]?.bias == nil)
        let mla = AttentionWeights.seeded(config: AttentionConfig(dModel: 16, heads: 4, kvLoraRank: 3, ropeDim: 2), seed: 0)
        #expect(Set(mla.projections.keys) == ["W_Q", "W_QR", "W_DKV", "W_UK", "W_UV", "W_KR", "W_O"])
        #expect(mla["W_DKV"]?.bias?.shape == [3])
    }

    @Test("checking weights names a missing, extra or misshapen projection")
    func check() throws {
        let config = AttentionConfig(dModel: 8, heads: 2, bias: false)
        let good = AttentionWeights.seeded(config: config, seed: 0)
        try good.check(against: config)
        #expect(throws: AttentionError.self) { try good.check(against: AttentionConfig(dModel: 8, heads: 2, kvHeads: 1, bias: false)) }
        #expect(throws: AttentionError.self) { try good.check(against: AttentionConfig(dModel: 8, heads: 2, kvLoraRank: 2, bias: false)) }
    }

    @Test("a padding mask with causal masking allows the prefix up to the query's position")
    func maskPrefix() {
        #expect(AttentionMask.causal.allowedPrefix(query: 0, queries: 3, keys: 3) == 1)
        #expect(AttentionMask.causal.allowedPrefix(query: 0, queries: 2, keys: 5) == 4)
        #expect(AttentionMask.causal.allowedPrefix(query: 0, queries: 5, keys: 2) == 0)
        #expect(AttentionMask.none.allowedPrefix(query: 0, queries: 5, keys: 2) == 2)
    }
}
