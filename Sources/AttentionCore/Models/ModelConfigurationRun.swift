extension ModelConfiguration {
    /// The core layer of this model's exact attention shape: its d_model, query heads, K/V heads,
    /// head width and, for MLA, latent and rotary widths; `layers` for whole-model counts.
    ///
    /// The core does not model MLA's query compression (`q_lora_rank`): it changes the query's
    /// parameters, not the cache, so the layer projects queries directly.
    public var attentionConfig: AttentionConfig {
        if let latent {
            return AttentionConfig(dModel: dModel, heads: heads, kvHeads: heads, headDim: latent.qkNopeHeadDim,
                                   kvLoraRank: latent.kvLoraRank, ropeDim: latent.qkRopeHeadDim, layers: layers)
        }
        return AttentionConfig(dModel: dModel, heads: heads, kvHeads: kvHeads,
                               headDim: headDimIsExplicit ? headDim : nil, layers: layers)
    }

    /// The same model with plain multi-head attention: one K/V head per query head, same head width,
    /// no latent. Its cache is what the model would need without GQA, MQA or MLA.
    public var mhaAttentionConfig: AttentionConfig {
        AttentionConfig(dModel: dModel, heads: heads, kvHeads: heads,
                        headDim: headDimIsExplicit ? headDim : nil, layers: layers)
    }

    /// Builds one layer of this exact shape in the core, with seeded weights, and runs it on
    /// `tokens` seeded tokens. Throws the core's `AttentionError` when the shape cannot be built.
    public func run(tokens: Int = ModelRun.defaultTokens, seed: UInt64 = 0) throws -> ModelRun {
        if let latent, latent.vHeadDim != latent.qkNopeHeadDim {
            throw AttentionError("The core's MLA layer gives values the key width qk_nope_head_dim = \(latent.qkNopeHeadDim), but this model's v_head_dim is \(latent.vHeadDim); its exact shape cannot be built.")
        }
        let run = try MultiHeadAttention.seededRun(config: attentionConfig, tokens: tokens, seed: seed)
        return ModelRun(configuration: self, run: run, mhaCost: AttentionCost(config: mhaAttentionConfig, tokens: tokens))
    }
}

/// A published model's attention, measured: one layer of its exact shape built and run in the core.
///
/// Every number here is read from the run (its tensors' shapes and its cost model), or, for the
/// plain-MHA comparison, from the core's cost model of the MHA-equivalent layer.
public struct ModelRun: Sendable {
    /// Tokens the layer is run on unless asked otherwise: few, since the point is the shape.
    public static let defaultTokens = 4

    /// The configuration read from the config.json or catalog.
    public let configuration: ModelConfiguration
    /// The recorded run of one layer of that shape.
    public let run: AttentionRun
    /// The core's cost model of the same model with plain MHA.
    public let mhaCost: AttentionCost

    /// Tokens the layer was run on.
    public var tokens: Int { run.tokens }
    /// The attention variant of the layer that ran: MHA, GQA, MQA or MLA.
    public var kind: AttentionKind { run.config.kind }
    /// Query heads: the number of score matrices the run produced, `scores.shape[0]`.
    public var heads: Int { run.scores.shape[0] }
    /// K/V heads the run kept, `k_heads.shape[0]` (for MLA, one per query head, rebuilt from the latent).
    public var kvHeads: Int { run.kHeads.shape[0] }
    /// Width of each head's output, `head_outputs.shape[2]`.
    public var headDim: Int { run.headOutputs.shape[2] }
    /// Query heads sharing each K/V head.
    public var groupSize: Int { heads / kvHeads }
    /// Score matrices per forward pass of the whole model, from the run's cost model (`layers × heads`).
    public var attentionComputations: Int { run.cost.attentionComputations }

    /// Numbers one token adds to the cache in one layer, read off the run's tensors: the K and V
    /// heads' widths, or for MLA the latent plus the shared rotary key.
    public var cachedValuesPerTokenPerLayer: Int {
        if let latent = run.latent {
            return latent.shape[1] + (run.kRope?.shape[1] ?? 0)
        }
        return run.kHeads.shape[0] * run.kHeads.shape[2] + run.vHeads.shape[0] * run.vHeads.shape[2]
    }

    /// KV-cache bytes per token for the whole model at `dtype`, from the run's cost model.
    public func kvCacheBytesPerToken(_ dtype: DType = .bf16) -> Int { run.cost.kvCacheBytesPerToken(dtype) }

    /// KV-cache bytes per token for one layer at `dtype`, from the run's cost model.
    public func kvCacheBytesPerTokenPerLayer(_ dtype: DType = .bf16) -> Int { run.cost.kvCacheBytesPerTokenPerLayer(dtype) }

    /// KV-cache bytes per token for the whole model with plain MHA at `dtype`.
    public func mhaKVCacheBytesPerToken(_ dtype: DType = .bf16) -> Int { mhaCost.kvCacheBytesPerToken(dtype) }

    /// How many times smaller this model's cache is than plain MHA's (1 for MHA).
    public var cacheReduction: Double {
        Double(mhaCost.kvCacheValuesPerTokenPerLayer) / Double(run.cost.kvCacheValuesPerTokenPerLayer)
    }
}
