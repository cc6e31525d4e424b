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
        #expect(list.map(\.config.kind) == [.mha, .gqa, .mqa, .mla])
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
        let gqa = try DecodeProbe.measure(config: AttentionConfig(dModel: 32, heads: 4, kvHeads: 2), context: 50, minimumSeconds: 0, footprint: 0)
        #expect(gqa.bytesRead == 50 * 2 * 2 * 8 * 4)
        #expect(gqa.seconds > 0 && gqa.steps >= 3)
        let mla = try DecodeProbe.measure(config: AttentionConfig(dModel: 32, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 4), context: 50, minimumSeconds: 0, footprint: 0)
        #expect(mla.bytesRead == 50 * 16 * 4 + 2 * 12 * 32 * 4)
    }

    @Test("The lab refuses a context whose cache would not fit, naming the bytes, before allocating")
    func refusesTooBig() throws {
        let config = AttentionConfig(dModel: 64, heads: 4)
        let error = #expect(throws: AttentionError.self) { try CostLab.check(config, contexts: [10], memoryLimit: 100) }
        #expect(error?.message.contains("5120 bytes") == true)
    }

    /// A roofline of 10 GB/s and 100 GFLOP/s (balance 10 FLOPs per byte), with passes spread by `spread`.
    private func roofline(spread: Double = 0) -> Roofline {
        Roofline(bandwidth: MemoryBandwidth.Measurement(bytesPerPass: 10_000_000_000, passSeconds: [1, 1, 1 / (1 + spread)]),
                 compute: ComputeRate.Measurement(size: 1000, passSeconds: [0.02, 0.02, 0.02]))
    }

    @Test("The roofline time is max(bytes / bandwidth, FLOPs / compute rate) and the regime follows the machine's balance")
    func rooflineLimits() {
        let machine = roofline()
        #expect(abs(machine.balance - 10) < 1e-9)
        #expect(machine.regime(bytes: 1000, flops: 2000) == .memory)
        #expect(machine.regime(bytes: 1000, flops: 32_000) == .compute)
        #expect(abs(machine.seconds(bytes: 10_000_000_000, flops: 1) - 1) < 1e-12)
        #expect(abs(machine.seconds(bytes: 1, flops: 200_000_000_000) - 2) < 1e-12)
    }

    @Test("The triad's median pass is the figure used; a spread above the bound makes the roofline unsteady")
    func spreadAndMedian() {
        let bandwidth = MemoryBandwidth.Measurement(bytesPerPass: 100, passSeconds: [4, 1, 2])
        #expect(bandwidth.passSeconds == [1, 2, 4] && bandwidth.bytesPerSecond == 50 && bandwidth.bestBytesPerSecond == 100)
        #expect(abs(bandwidth.spread - 1.5) < 1e-12)  // (100 − 25) / 50
        #expect(roofline(spread: 0.1).isSteady)
        #expect(!roofline(spread: 0.5).isSteady)
    }

    @Test("A step's share of the roofline is the roofline time over the measured time; MHA decode is memory-bound, MQA compute-bound")
    func stepOnRoofline() throws {
        let machine = roofline()
        let mha = DecodeStepMeasurement(config: AttentionConfig(dModel: 4096, heads: 32), context: 8192, cacheBytesPerTokenPerLayer: 32768,
                                        bytesRead: 8192 * 32768, seconds: 0.05, steps: 3, flops: 2 * 32 * 8192 * 2 * 128, layers: 1)
        #expect(abs(mha.opsPerByte - 0.5) < 1e-12)
        #expect(mha.regime(on: machine) == .memory)
        #expect(abs(mha.shareOfRoofline(on: machine) - Double(8192 * 32768) / 1e10 / 0.05) < 1e-12)
        let mqa = DecodeStepMeasurement(config: AttentionConfig(dModel: 4096, heads: 32, kvHeads: 1), context: 8192, cacheBytesPerTokenPerLayer: 1024,
                                        bytesRead: 8192 * 1024, seconds: 0.01, steps: 3, flops: 2 * 32 * 8192 * 2 * 128, layers: 32)
        #expect(mqa.regime(on: machine) == .compute && mqa.footprintBytes == 32 * 8192 * 1024)
        let row = CostLabResult.Row(own: false, step: mqa, roofline: roofline(spread: 0.5))
        #expect(row.shareOfRoofline == nil && row.regime == .compute)
    }

    @Test("The probe times enough layers' caches to cover the footprint asked for, within the memory limit")
    func cyclesLayers() throws {
        let config = AttentionConfig(dModel: 32, heads: 4, kvHeads: 2)
        let bytes = 50 * 2 * 2 * 8 * 4
        #expect(try DecodeProbe.measure(config: config, context: 50, minimumSeconds: 0, footprint: 3 * bytes).layers == 3)
        #expect(try DecodeProbe.measure(config: config, context: 50, minimumSeconds: 0, memoryLimit: 2 * bytes, footprint: 10 * bytes).layers == 2)
        #expect(DecodeProbe.cacheSize("32768K\n") == 32 << 20 && DecodeProbe.cacheSize("1M") == 1 << 20)
        #expect(DecodeProbe.lastLevelCacheBytes > 0)
    }
}
