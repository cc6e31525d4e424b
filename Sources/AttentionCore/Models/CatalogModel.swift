/// A published model as lessons and exercises see it: `model("llama-2-70b").kv_heads`.
///
/// The structural members come from the model's configuration; the counts
/// (`attention_computations`, KV-cache bytes) come from the core's cost model of the exact layer
/// `mhalearn model` builds and runs, so they agree with what that command prints. `measure()`
/// runs the layer itself.
public struct PublishedModel: Sendable {
    /// The model's configuration, read through `ConfigReader`.
    public let configuration: ModelConfiguration
    /// The catalog entry, when the model came from the catalog.
    public let entry: CatalogEntry?

    /// Wraps a configuration (for instance one read from a user's config.json).
    public init(configuration: ModelConfiguration, entry: CatalogEntry? = nil) {
        self.configuration = configuration
        self.entry = entry
    }

    /// The catalog model called `name` (tolerant matching). Throws `UnknownModelError` with the
    /// closest id, or `ConfigError` if the entry does not read (a catalog bug the tests rule out).
    public static func named(_ name: String) throws -> PublishedModel {
        let entry = try ModelCatalog.lookup(name)
        return PublishedModel(configuration: try entry.configuration(), entry: entry)
    }

    /// The catalog id, or the configuration's name.
    public var name: String { entry?.id ?? configuration.name }
    /// MHA, GQA, MQA or MLA.
    public var kind: AttentionKind { configuration.kind }
    /// Width of the residual stream.
    public var dModel: Int { configuration.dModel }
    /// Query heads per layer.
    public var heads: Int { configuration.heads }
    /// K/V heads per layer (MLA: one per query head, rebuilt from the latent).
    public var kvHeads: Int { configuration.kvHeads }
    /// Per-head query/key width.
    public var headDim: Int { configuration.headDim }
    /// Layers (encoder layers for an encoder-decoder model).
    public var layers: Int { configuration.layers }
    /// Query heads per K/V head.
    public var groupSize: Int { configuration.groupSize }
    /// Routed experts per MoE layer, 0 for a dense model.
    public var experts: Int { configuration.experts?.experts ?? 0 }
    /// Experts each token is routed to, 0 for a dense model.
    public var expertsPerToken: Int { configuration.experts?.expertsPerToken ?? 0 }
    /// MLA latent width `kv_lora_rank`, 0 when the model is not MLA.
    public var kvLoraRank: Int { configuration.latent?.kvLoraRank ?? 0 }
    /// MLA rotary key width `qk_rope_head_dim`, 0 when the model is not MLA.
    public var ropeDim: Int { configuration.latent?.qkRopeHeadDim ?? 0 }

    /// The core's cost model of the model's exact layer (`layers` layers).
    public var cost: AttentionCost { AttentionCost(config: configuration.attentionConfig, tokens: ModelRun.defaultTokens) }
    /// The core's cost model of the same model with plain MHA.
    public var mhaCost: AttentionCost { AttentionCost(config: configuration.mhaAttentionConfig, tokens: ModelRun.defaultTokens) }

    /// Score matrices per forward pass, `layers × heads`.
    public var attentionComputations: Int { cost.attentionComputations }
    /// KV-cache bytes per token for the whole model at `dtype`.
    public func kvCacheBytes(dtype: DType = .bf16) -> Int { cost.kvCacheBytesPerToken(dtype) }
    /// KV-cache bytes per token for one layer at `dtype`.
    public func kvCacheBytesPerLayer(dtype: DType = .bf16) -> Int { cost.kvCacheBytesPerTokenPerLayer(dtype) }
    /// KV-cache bytes per token for the whole model if it used plain MHA, at `dtype`.
    public func mhaKVCacheBytes(dtype: DType = .bf16) -> Int { mhaCost.kvCacheBytesPerToken(dtype) }

    /// Builds one layer of the model's exact shape and runs it on `tokens` tokens (what `mhalearn model` does).
    public func measure(tokens: Int = ModelRun.defaultTokens, seed: UInt64 = 0) throws -> ModelRun {
        try configuration.run(tokens: tokens, seed: seed)
    }

    /// The integer members by their expression-language names (`d_model`, `kv_heads`, …).
    public var integerMembers: [String: Int] {
        [
            "d_model": dModel, "heads": heads, "kv_heads": kvHeads, "head_dim": headDim, "layers": layers,
            "group_size": groupSize, "attention_computations": attentionComputations, "experts": experts,
            "experts_per_token": expertsPerToken, "kv_lora_rank": kvLoraRank, "rope_dim": ropeDim,
        ]
    }
}
