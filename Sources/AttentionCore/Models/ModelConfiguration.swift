/// How a model's query heads share keys and values.
public enum AttentionKind: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Multi-head attention: every query head has its own K/V head.
    case mha = "MHA"
    /// Grouped-query attention: groups of query heads share one K/V head.
    case gqa = "GQA"
    /// Multi-query attention: all query heads share a single K/V head.
    case mqa = "MQA"
    /// Multi-head latent attention: keys and values are rebuilt from one cached low-rank latent.
    case mla = "MLA"

    /// The variant's usual name, "MHA", "GQA", "MQA" or "MLA" (its raw value).
    public var description: String { rawValue }

    /// Classifies a model from its query and K/V head counts (never MLA: that needs latent fields).
    public static func classify(heads: Int, kvHeads: Int) -> AttentionKind {
        if kvHeads == heads { return .mha }
        if kvHeads == 1 { return .mqa }
        return .gqa
    }
}

/// The fields of multi-head latent attention (DeepSeek-V2/V3) as a config.json states them.
public struct LatentAttention: Sendable, Equatable, Codable {
    /// Width of the cached key/value latent (`kv_lora_rank`, the paper's d_c).
    public var kvLoraRank: Int
    /// Width of the query latent (`q_lora_rank`), or nil when queries are not compressed.
    public var qLoraRank: Int?
    /// Per-head query/key width without position information (`qk_nope_head_dim`, the paper's d_h).
    public var qkNopeHeadDim: Int
    /// Per-head width of the decoupled rotary key, cached once per token (`qk_rope_head_dim`).
    public var qkRopeHeadDim: Int
    /// Per-head value width (`v_head_dim`).
    public var vHeadDim: Int

    /// Creates the latent-attention fields.
    public init(kvLoraRank: Int, qLoraRank: Int?, qkNopeHeadDim: Int, qkRopeHeadDim: Int, vHeadDim: Int) {
        self.kvLoraRank = kvLoraRank
        self.qLoraRank = qLoraRank
        self.qkNopeHeadDim = qkNopeHeadDim
        self.qkRopeHeadDim = qkRopeHeadDim
        self.vHeadDim = vHeadDim
    }

    /// Values cached per token per layer: the latent plus the shared rotary key.
    public var cachedWidth: Int { kvLoraRank + qkRopeHeadDim }
}

/// A mixture-of-experts feed-forward block: experts replace the feed-forward network, not heads.
public struct MixtureOfExperts: Sendable, Equatable, Codable {
    /// Routed experts per MoE layer (`num_local_experts`, `n_routed_experts` or `num_experts`).
    public var experts: Int
    /// Experts each token is routed to (`num_experts_per_tok`).
    public var expertsPerToken: Int
    /// Experts every token always uses (`n_shared_experts`), 0 when the config names none.
    public var sharedExperts: Int

    /// Creates the mixture-of-experts fields.
    public init(experts: Int, expertsPerToken: Int, sharedExperts: Int = 0) {
        self.experts = experts
        self.expertsPerToken = expertsPerToken
        self.sharedExperts = sharedExperts
    }
}

/// A published model's attention configuration, resolved from its config.json field conventions.
public struct ModelConfiguration: Sendable, Equatable, Codable {
    /// What the model is called (a catalog id, `_name_or_path`, or the file's folder name).
    public var name: String
    /// The config's `model_type` (such as `llama` or `gpt2`), or nil when it has none.
    public var modelType: String?
    /// Width of the residual stream (`hidden_size`, `n_embd`, `d_model`).
    public var dModel: Int
    /// Query heads per layer.
    public var heads: Int
    /// K/V heads per layer (equal to `heads` for MLA, whose per-head keys are rebuilt from the latent).
    public var kvHeads: Int
    /// Per-head query/key width (for MLA the non-rotary part, `qk_nope_head_dim`).
    public var headDim: Int
    /// True when the config states the head width itself instead of leaving it to d_model / heads.
    public var headDimIsExplicit: Bool
    /// Transformer layers (for encoder-decoder models, the encoder's).
    public var layers: Int
    /// Decoder layers of an encoder-decoder model (`num_decoder_layers`), nil otherwise or when unstated.
    public var decoderLayers: Int?
    /// How the query heads share keys and values.
    public var kind: AttentionKind
    /// Latent-attention fields, present exactly when `kind` is MLA.
    public var latent: LatentAttention?
    /// Mixture-of-experts fields, nil for dense models.
    public var experts: MixtureOfExperts?

    /// Creates a configuration; `kind` is derived from the head counts unless `latent` is given.
    public init(
        name: String, modelType: String? = nil, dModel: Int, heads: Int, kvHeads: Int, headDim: Int,
        headDimIsExplicit: Bool = false, layers: Int, decoderLayers: Int? = nil,
        latent: LatentAttention? = nil, experts: MixtureOfExperts? = nil
    ) {
        self.name = name
        self.modelType = modelType
        self.dModel = dModel
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.headDimIsExplicit = headDimIsExplicit
        self.layers = layers
        self.decoderLayers = decoderLayers
        self.latent = latent
        self.experts = experts
        self.kind = latent == nil ? AttentionKind.classify(heads: heads, kvHeads: kvHeads) : .mla
    }

    /// Query heads that share each K/V head (`heads / kv_heads`).
    public var groupSize: Int { heads / kvHeads }

    /// True when `head_dim` is exactly d_model split evenly across the heads.
    public var headDimEqualsSplit: Bool { dModel % heads == 0 && dModel / heads == headDim }
}
