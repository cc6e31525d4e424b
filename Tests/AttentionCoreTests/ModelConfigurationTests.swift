import Testing
@testable import AttentionCore

@Suite("ModelConfiguration")
struct ModelConfigurationTests {
    @Test("the attention kind follows the K/V-head count", arguments: [
        (32, 32, AttentionKind.mha), (64, 8, .gqa), (71, 1, .mqa), (1, 1, .mha), (8, 2, .gqa),
    ])
    func classifiesKinds(heads: Int, kvHeads: Int, kind: AttentionKind) {
        #expect(AttentionKind.classify(heads: heads, kvHeads: kvHeads) == kind)
        let config = ModelConfiguration(name: "x", dModel: heads * 16, heads: heads, kvHeads: kvHeads, headDim: 16, layers: 1)
        #expect(config.kind == kind)
        #expect(config.groupSize == heads / kvHeads)
    }

    @Test("latent fields make a configuration MLA whatever its head counts")
    func latentMakesMLA() {
        let latent = LatentAttention(kvLoraRank: 512, qLoraRank: nil, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128)
        let config = ModelConfiguration(name: "x", dModel: 2048, heads: 16, kvHeads: 16, headDim: 128, layers: 27, latent: latent)
        #expect(config.kind == .mla)
        #expect(latent.cachedWidth == 576)
    }

    @Test("head_dim equals the split only when d_model divides evenly into heads of that width")
    func headDimSplit() {
        #expect(ModelConfiguration(name: "a", dModel: 768, heads: 12, kvHeads: 12, headDim: 64, layers: 1).headDimEqualsSplit)
        #expect(!ModelConfiguration(name: "b", dModel: 3072, heads: 16, kvHeads: 16, headDim: 256, layers: 1).headDimEqualsSplit)
        #expect(!ModelConfiguration(name: "c", dModel: 100, heads: 3, kvHeads: 3, headDim: 33, layers: 1).headDimEqualsSplit)
    }

    @Test("kind raw values are the names lessons print")
    func kindNames() {
        #expect(AttentionKind.allCases.map(\.rawValue) == ["MHA", "GQA", "MQA", "MLA"])
    }
}
