import Foundation

/// The cost lab behind `mhalearn cost`: one layer at a model's real widths, decoded over caches of
/// several context lengths in the model's own variant and its MHA, GQA, MQA and MLA counterparts
/// (same d_model, same query heads, same head width), beside the machine's memory bandwidth
/// measured in the same run.
public enum CostLab {
    /// The variants compared for `config`, in the order MHA, GQA, MQA, MLA, with `config` itself in
    /// its place (marked `own`). Counterparts: MHA `kv = h`; GQA the model's own `kv` when it is GQA,
    /// else `kv = h / 4` (`h / 2` when 4 does not divide `h`; none when `h` is odd or below 4); MQA
    /// `kv = 1`; MLA the model's own latent, else `r = 4·d_k` and `d_r = d_k / 2` (DeepSeek-V2's
    /// proportions: `r = 512`, `d_k = 128`, `d_r = 64`; DeepSeek-AI 2024, §2.1 and §3.1.2).
    public static func variants(for config: AttentionConfig) -> [(config: AttentionConfig, own: Bool)] {
        let h = config.heads, dk = config.headDim
        var base = config
        base.bias = false
        base.kvLoraRank = 0
        base.ropeDim = 0
        base.explicitHeadDim = dk
        func with(kv: Int) -> AttentionConfig { var c = base; c.kvHeads = kv; return c }
        var list: [AttentionConfig] = [with(kv: h)]
        if config.kind == .gqa {
            list.append(with(kv: config.kvHeads))
        } else if h >= 4 && h % 4 == 0 && h / 4 > 1 {
            list.append(with(kv: h / 4))
        } else if h >= 4 && h % 2 == 0 {
            list.append(with(kv: h / 2))
        }
        if h > 1 { list.append(with(kv: 1)) }
        var mla = base
        mla.kvHeads = h
        if config.isLatent {
            mla.kvLoraRank = config.kvLoraRank
            mla.ropeDim = config.ropeDim
        } else {
            mla.kvLoraRank = 4 * dk
            mla.ropeDim = max(2, dk / 2 / 2 * 2)
        }
        list.append(mla)
        let ownKind = config.kind
        return list.map { c in
            let own = c.kind == ownKind && (c.isLatent || c.kvHeads == config.kvHeads)
            return (own ? { var o = config; o.bias = false; return o }() : c, own)
        }
    }

    /// The largest cache the lab allocates for one variant and context: the process's memory budget.
    public static var memoryLimit: Int { AttentionConfig.memoryLimitBytes }

    /// Throws, before anything is allocated, when any variant's cache at any context would not fit
    /// in `memoryLimit`; the message gives the bytes it would need.
    public static func check(_ config: AttentionConfig, contexts: [Int], memoryLimit: Int = CostLab.memoryLimit) throws {
        try config.validate()
        for (variant, _) in variants(for: config) {
            try variant.validate()
            for context in contexts {
                guard context >= 1 else { throw AttentionError("A context must be at least 1 token; got \(context).") }
                try DecodeSession.checkCache(config: variant, tokens: context, memoryLimit: memoryLimit)
            }
        }
    }
}

/// Everything one run of the cost lab measured.
public struct CostLabResult: Sendable {
    /// One variant at one context, placed on the machine's roofline.
    public struct Row: Sendable {
        /// Whether this is the model's own variant.
        public let own: Bool
        /// The step measured.
        public let step: DecodeStepMeasurement
        /// Memory- or compute-bound: the step's operations per byte against the machine's balance.
        public let regime: Regime
        /// The least time the step can take here: max(bytes / triad bandwidth, FLOPs / sgemm rate).
        public let rooflineSeconds: Double
        /// Roofline time / measured time (1 at the limit); nil when the roofline's own measurements
        /// spread more than `Roofline.steadySpread` (a share of a moving figure means nothing).
        public let shareOfRoofline: Double?

        public init(own: Bool, step: DecodeStepMeasurement, roofline: Roofline) {
            self.own = own
            self.step = step
            regime = step.regime(on: roofline)
            rooflineSeconds = step.rooflineSeconds(on: roofline)
            shareOfRoofline = roofline.isSteady ? step.shareOfRoofline(on: roofline) : nil
        }
    }
    /// The model's name (catalog id, config name, or a description of explicit sizes).
    public let name: String
    /// The model's own configuration (its `layers` count whole-model figures).
    public let config: AttentionConfig
    /// The triad bandwidth and sgemm rate measured in the same run.
    public let roofline: Roofline
    /// The triad bandwidth measured in the same run.
    public var bandwidth: MemoryBandwidth.Measurement { roofline.bandwidth }
    /// Context lengths, in the order asked.
    public let contexts: [Int]
    /// One row per variant and context, contexts outermost.
    public let rows: [Row]

    /// Measures `config` at every context: the triad and sgemm first, then every variant at every
    /// context (each over enough layers' caches to cover `footprint` bytes), calling
    /// `progress(done, total, description)` before each measurement.
    public static func measure(name: String, config: AttentionConfig, contexts: [Int], seed: UInt64 = 0,
                               minimumSeconds: Double = 0.2, triadCount: Int = MemoryBandwidth.defaultCount,
                               gemmSize: Int = ComputeRate.defaultSize, footprint: Int = DecodeProbe.defaultFootprint,
                               progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> CostLabResult {
        try CostLab.check(config, contexts: contexts)
        let variants = CostLab.variants(for: config)
        let total = 1 + variants.count * contexts.count
        progress(0, total, "memory bandwidth (STREAM triad) and compute rate (sgemm)")
        let roofline = Roofline.measure(triadCount: triadCount, gemmSize: gemmSize)
        var rows: [Row] = []
        var done = 1
        for context in contexts {
            for (variant, own) in variants {
                progress(done, total, "\(variant.kind) decode step over \(context) cached tokens")
                let step = try DecodeProbe.measure(config: variant, context: context, seed: seed, minimumSeconds: minimumSeconds,
                                                   memoryLimit: CostLab.memoryLimit, footprint: footprint)
                rows.append(Row(own: own, step: step, roofline: roofline))
                done += 1
            }
        }
        return CostLabResult(name: name, config: config, roofline: roofline, contexts: contexts, rows: rows)
    }
}
