import AttentionCore
import Foundation

/// Writes each attention variant's configuration, weights, inputs and recorded tensors as JSON,
/// for the independent numpy implementation in scripts/reference_attention.py.
enum Dump {
    /// One variant to dump.
    struct Variant {
        let name: String
        let config: AttentionConfig
        let tokens: Int
        var sourceTokens: Int?
        var mask = AttentionMask.none
    }

    static let variants: [Variant] = [
        Variant(name: "mha", config: AttentionConfig(dModel: 64, heads: 4), tokens: 7),
        Variant(name: "mha_causal", config: AttentionConfig(dModel: 64, heads: 4), tokens: 7, mask: .causal),
        Variant(name: "mha_no_bias", config: AttentionConfig(dModel: 48, heads: 6, bias: false), tokens: 5, mask: .causal),
        Variant(name: "gqa", config: AttentionConfig(dModel: 96, heads: 12, kvHeads: 4), tokens: 9, mask: .causal),
        Variant(name: "mqa", config: AttentionConfig(dModel: 64, heads: 8, kvHeads: 1), tokens: 6),
        Variant(name: "head_dim", config: AttentionConfig(dModel: 60, heads: 4, kvHeads: 2, headDim: 24), tokens: 5),
        Variant(name: "cross", config: AttentionConfig(dModel: 64, heads: 4), tokens: 4, sourceTokens: 11),
        Variant(name: "cross_padding", config: AttentionConfig(dModel: 64, heads: 4), tokens: 4, sourceTokens: 6,
                mask: AttentionMask(keyAllowed: [true, true, true, false, true, false])),
        Variant(name: "fully_masked", config: AttentionConfig(dModel: 32, heads: 2), tokens: 5, sourceTokens: 3, mask: .causal),
        Variant(name: "mla", config: AttentionConfig(dModel: 64, heads: 4, kvLoraRank: 12), tokens: 7, mask: .causal),
        Variant(name: "mla_rope", config: AttentionConfig(dModel: 64, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 6), tokens: 8, mask: .causal),
        Variant(name: "long_rows", config: AttentionConfig(dModel: 64, heads: 2, kvHeads: 1), tokens: 77),
    ]

    static func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, variant) in variants.enumerated() {
            let seed = UInt64(100 + index)
            let layer = try MultiHeadAttention(config: variant.config, seed: seed)
            let d = variant.config.dModel
            let input = Tensor.seededInput(tokens: variant.tokens, width: d, seed: seed)
            let source = variant.sourceTokens.map { Tensor.seededInput(tokens: $0, width: d, seed: seed, name: "source") }
            let run = try layer.run(input: input, source: source, mask: variant.mask)
            let c = variant.config
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
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            try data.write(to: folder.appendingPathComponent("\(variant.name).json"))
        }
        print("wrote \(variants.count) variants to \(folder.path)")
    }

    /// A tensor as `{shape, data}`; floats written as Doubles, which represent them exactly.
    static func encode(_ t: Tensor) -> [String: Any] {
        ["shape": t.shape, "data": t.storage.map(Double.init)]
    }
}
