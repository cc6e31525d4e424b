import Testing
@testable import AttentionCore

@Suite("AttentionConfig")
struct AttentionConfigTests {
    private func message(_ config: AttentionConfig, tokens: Int = 4, sourceTokens: Int? = nil) -> String? {
        do { try config.validate(tokens: tokens, sourceTokens: sourceTokens); return nil } catch let error as AttentionError {
            return error.message
        } catch { return "unexpected \(error)" }
    }

    @Test("d_k defaults to d_model / heads, and an explicit head_dim overrides it")
    func headDim() {
        #expect(AttentionConfig(dModel: 768, heads: 12).headDim == 64)
        #expect(AttentionConfig(dModel: 3072, heads: 16, headDim: 256).headDim == 256)
    }

    @Test("the kind and group size follow kv_heads and kv_lora_rank")
    func kinds() {
        #expect(AttentionConfig(dModel: 64, heads: 8).kind == .mha)
        #expect(AttentionConfig(dModel: 64, heads: 8, kvHeads: 2).kind == .gqa)
        #expect(AttentionConfig(dModel: 64, heads: 8, kvHeads: 2).groupSize == 4)
        #expect(AttentionConfig(dModel: 64, heads: 8, kvHeads: 1).kind == .mqa)
        #expect(AttentionConfig(dModel: 64, heads: 8, kvLoraRank: 16).kind == .mla)
    }

    @Test("valid configurations pass validation")
    func valid() {
        #expect(message(AttentionConfig(dModel: 768, heads: 12)) == nil)
        #expect(message(AttentionConfig(dModel: 8192, heads: 64, kvHeads: 8, bias: false)) == nil)
        #expect(message(AttentionConfig(dModel: 100, heads: 3, headDim: 32)) == nil)
        #expect(message(AttentionConfig(dModel: 64, heads: 4, kvLoraRank: 16, ropeDim: 8)) == nil)
    }

    @Test("d_model not divisible by heads without head_dim is rejected with a sentence")
    func notDivisible() {
        #expect(message(AttentionConfig(dModel: 100, heads: 3))?.contains("not divisible by heads = 3") == true)
    }

    @Test("kv_heads that do not divide heads, or exceed them, are rejected")
    func badKvHeads() {
        #expect(message(AttentionConfig(dModel: 96, heads: 12, kvHeads: 5))?.contains("does not divide heads = 12") == true)
        #expect(message(AttentionConfig(dModel: 96, heads: 4, kvHeads: 8))?.contains("more than heads") == true)
    }

    @Test("zero or negative sizes are rejected, naming the size")
    func nonPositive() {
        #expect(message(AttentionConfig(dModel: 0, heads: 1))?.hasPrefix("d_model must be at least 1") == true)
        #expect(message(AttentionConfig(dModel: 8, heads: -2))?.hasPrefix("heads must be at least 1") == true)
        #expect(message(AttentionConfig(dModel: 8, heads: 2), tokens: 0)?.hasPrefix("tokens must be at least 1") == true)
        #expect(message(AttentionConfig(dModel: 8, heads: 2, headDim: 0))?.hasPrefix("head_dim must be at least 1") == true)
        #expect(message(AttentionConfig(dModel: 8, heads: 2, layers: 0))?.hasPrefix("layers must be at least 1") == true)
    }

    @Test("MLA needs kv_heads = heads, and rope_dim needs MLA and an even width")
    func latentRules() {
        #expect(message(AttentionConfig(dModel: 64, heads: 4, kvHeads: 2, kvLoraRank: 8))?.contains("kv_heads must equal heads") == true)
        #expect(message(AttentionConfig(dModel: 64, heads: 4, ropeDim: 8))?.contains("belongs to MLA") == true)
        #expect(message(AttentionConfig(dModel: 64, heads: 4, kvLoraRank: 8, ropeDim: 7))?.contains("must be even") == true)
    }

    @Test("sizes that would not fit in memory are rejected before allocating")
    func tooLarge() {
        let big = AttentionConfig(dModel: 8192, heads: 64)
        #expect(message(big, tokens: 100_000)?.contains("GiB limit; use fewer tokens or a smaller layer, or raise the memory budget") == true)
        #expect(message(AttentionConfig(dModel: 1 << 21, heads: 1))?.contains("absurdly large") == true)
    }

    @Test("the memory estimate counts weights and the [h, T, S] score tensors")
    func estimate() throws {
        let config = AttentionConfig(dModel: 8, heads: 2, bias: false)
        let bytes = try #require(config.estimatedBytes(tokens: 3))
        // weights 4·8·8 = 256; input+source 48; q, q_heads 48; k, v and heads 96; scores, weights 36;
        // head outputs, concat 48; output 24 -> 556 floats
        #expect(bytes == 556 * 4)
    }
}
