import Foundation

/// Runs of every attention variant written as JSON for `scripts/reference_attention.py`, the
/// independent numpy implementation: configuration, mask, weights, inputs and every recorded tensor.
///
/// Used by `mhalearn-bench --dump DIR` and by the tests that run the numpy check.
public enum ReferenceDump {
    /// One variant: a configuration, token counts and a mask.
    public struct Variant: Sendable {
        /// The file name (without `.json`) and label.
        public let name: String
        /// The layer's configuration.
        public let config: AttentionConfig
        /// Query tokens.
        public let tokens: Int
        /// Key/value tokens for cross-attention, nil for self-attention.
        public let sourceTokens: Int?
        /// The mask applied.
        public let mask: AttentionMask
    }

    /// Every variant the core supports, small enough to check in well under a second.
    public static let variants: [Variant] = [
        Variant(name: "mha", config: AttentionConfig(dModel: 64, heads: 4), tokens: 7, sourceTokens: nil, mask: .none),
        Variant(name: "mha_causal", config: AttentionConfig(dModel: 64, heads: 4), tokens: 7, sourceTokens: nil, mask: .causal),
        Variant(name: "mha_no_bias", config: AttentionConfig(dModel: 48, heads: 6, bias: false), tokens: 5, sourceTokens: nil, mask: .causal),
        Variant(name: "gqa", config: AttentionConfig(dModel: 96, heads: 12, kvHeads: 4), tokens: 9, sourceTokens: nil, mask: .causal),
        Variant(name: "mqa", config: AttentionConfig(dModel: 64, heads: 8, kvHeads: 1), tokens: 6, sourceTokens: nil, mask: .none),
        Variant(name: "head_dim", config: AttentionConfig(dModel: 60, heads: 4, kvHeads: 2, headDim: 24), tokens: 5, sourceTokens: nil, mask: .none),
        Variant(name: "cross", config: AttentionConfig(dModel: 64, heads: 4), tokens: 4, sourceTokens: 11, mask: .none),
        Variant(name: "cross_padding", config: AttentionConfig(dModel: 64, heads: 4), tokens: 4, sourceTokens: 6,
                mask: AttentionMask(keyAllowed: [true, true, true, false, true, false])),
        Variant(name: "fully_masked", config: AttentionConfig(dModel: 32, heads: 2), tokens: 5, sourceTokens: 3, mask: .causal),
        Variant(name: "mla", config: AttentionConfig(dModel: 64, heads: 4, kvLoraRank: 12), tokens: 7, sourceTokens: nil, mask: .causal),
        Variant(name: "mla_rope", config: AttentionConfig(dModel: 64, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 6),
                tokens: 8, sourceTokens: nil, mask: .causal),
        Variant(name: "mla_rope_cross", config: AttentionConfig(dModel: 48, heads: 3, headDim: 8, kvLoraRank: 10, ropeDim: 4, bias: false),
                tokens: 3, sourceTokens: 6, mask: .causal),
        Variant(name: "gqa_padding_causal", config: AttentionConfig(dModel: 64, heads: 8, kvHeads: 2), tokens: 6, sourceTokens: nil,
                mask: AttentionMask(causal: true, keyAllowed: [false, true, true, true, false, true])),
        Variant(name: "parallel_blocks", config: AttentionConfig(dModel: 64, heads: 2, kvHeads: 1), tokens: 300, sourceTokens: nil, mask: .causal),
    ]

    /// Runs each variant (seed 100 + its index) and writes `NAME.json` into `folder`.
    public static func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, variant) in variants.enumerated() {
            try json(variant, seed: UInt64(100 + index)).write(to: folder.appendingPathComponent("\(variant.name).json"))
        }
    }

    /// One variant's run as JSON.
    public static func json(_ variant: Variant, seed: UInt64) throws -> Data {
        let c = variant.config
        let layer = try MultiHeadAttention(config: c, seed: seed)
        let input = Tensor.seededInput(tokens: variant.tokens, width: c.dModel, seed: seed)
        let source = variant.sourceTokens.map { Tensor.seededInput(tokens: $0, width: c.dModel, seed: seed, name: "source") }
        let run = try layer.run(input: input, source: source, mask: variant.mask)
        var object: [String: Any] = [
            "name": variant.name, "d_model": c.dModel, "heads": c.heads, "kv_heads": c.kvHeads,
            "head_dim": c.headDim, "kv_lora_rank": c.kvLoraRank, "rope_dim": c.ropeDim, "bias": c.bias,
            "causal": variant.mask.causal, "tokens": run.tokens, "source_tokens": run.sourceTokens, "cross": run.isCross,
        ]
        if let allowed = variant.mask.keyAllowed { object["key_allowed"] = allowed }
        var weights: [String: Any] = [:]
        for (name, p) in layer.weights.projections {
            var entry: [String: Any] = ["weight": encode(p.weight)]
            if let bias = p.bias { entry["bias"] = encode(bias) }
            weights[name] = entry
        }
        object["weights"] = weights
        object["tensors"] = run.tensors.mapValues(encode)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// A tensor as `{shape, data}`; each float written as a Double, which represents it exactly.
    static func encode(_ t: Tensor) -> [String: Any] {
        ["shape": t.shape, "data": t.storage.map(Double.init)]
    }
}
