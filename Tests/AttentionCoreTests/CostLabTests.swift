import Testing
@testable import AttentionCore

@Suite("Cost lab")
struct CostLabTests {
    @Test("The triad's bandwidth is positive and finite, and a pass moves three arrays")
    func bandwidth() {
        let measured = MemoryBandwidth.triad(count: 1 << 16, passes: 2)
        #expect(measured.bytesPerSecond > 0 && measured.bytesPerSecond.isFinite)
        #expect(measured.bytesPerPass == 3 * (1 << 16) * 4)
    }

    @Test("The triad kernel computes a = b + s·c, including the tail")
    func triadKernel() {
        var a = [Float](repeating: 0, count: 11)
        let b = (0..<11).map(Float.init), c = [Float](repeating: 2, count: 11)
        a.withUnsafeMutableBufferPointer { MemoryBandwidth.triadKernel($0.baseAddress!, b, c, count: 11, scalar: 3) }
        #expect(a == b.map { $0 + 6 })
    }

    @Test("Llama 2 7B's counterparts: MHA is its own, GQA kv = 8, MQA kv = 1, MLA r = 4·d_k with d_r = d_k / 2")
    func variants() throws {
        let config = try ModelCatalog.configuration(named: "llama-2-7b").attentionConfig
        let list = CostLab.variants(for: config)
        #expect(list.map(\.config.kind) == ["MHA", "GQA", "MQA", "MLA"])
        #expect(list.map(\.own) == [true, false, false, false])
        #expect(list.map(\.config.kvHeads) == [32, 8, 1, 32])
        #expect(list[3].config.kvLoraRank == 512 && list[3].config.ropeDim == 64)
        #expect(list.allSatisfy { $0.config.dModel == 4096 && $0.config.heads == 32 && $0.config.headDim == 128 })
    }

    @Test("A GQA model's own group is the GQA row; an MLA model's own latent is the MLA row")
    func ownVariant() throws {
        let llama70 = try ModelCatalog.configuration(named: "llama-2-70b").attentionConfig
        #expect(CostLab.variants(for: llama70).filter(\.own).map(\.config.kvHeads) == [8])
        let deepseek = try ModelCatalog.configuration(named: "deepseek-v2-lite").attentionConfig
        let own = CostLab.variants(for: deepseek).filter(\.own)
        #expect(own.count == 1 && own[0].config.kvLoraRank == deepseek.kvLoraRank)
    }

    @Test("A decode step reads the whole cache: context × bytes per token (MLA adds W_UK and W_UV)")
    func bytesRead() throws {
        let gqa = try DecodeProbe.measure(config: AttentionConfig(dModel: 32, heads: 4, kvHeads: 2), context: 50, minimumSeconds: 0)
        #expect(gqa.bytesRead == 50 * 2 * 2 * 8 * 4)
        #expect(gqa.seconds > 0 && gqa.steps >= 3)
        let mla = try DecodeProbe.measure(config: AttentionConfig(dModel: 32, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 4), context: 50, minimumSeconds: 0)
        #expect(mla.bytesRead == 50 * 16 * 4 + 2 * 12 * 32 * 4)
    }

    @Test("The lab refuses a context whose cache would not fit, naming the bytes, before allocating")
    func refusesTooBig() throws {
        let config = AttentionConfig(dModel: 64, heads: 4)
        let error = #expect(throws: AttentionError.self) { try CostLab.check(config, contexts: [10], memoryLimit: 100) }
        #expect(error?.message.contains("5120 bytes") == true)
    }
}
