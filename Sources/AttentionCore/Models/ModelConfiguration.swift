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

/// Where a model's attention layers sit, which decides what it caches while generating.
public enum Architecture: String, Sendable, Equatable, Codable {
    /// A decoder (GPT, Llama, Mistral): causal self-attention, keys and values cached per generated token.
    case decoder
    /// An encoder (BERT): every token attends to every other and nothing is generated, so nothing is cached.
    case encoder
    /// An encoder-decoder (T5): the decoder caches its own self-attention keys and values per
    /// generated token, and the cross-attention keys and values over the encoder's output once.
    case encoderDecoder = "encoder-decoder"

    /// `model_type` values of encoders.
    static let encoderTypes: Set<String> = ["bert", "roberta", "distilbert", "electra", "albert", "xlm-roberta", "deberta", "deberta-v2", "mpnet"]
    /// `model_type` values of encoder-decoders.
    static let encoderDecoderTypes: Set<String> = ["t5", "mt5", "umt5", "bart", "mbart", "pegasus", "marian"]

    /// The architecture a config's `model_type` names (a decoder when it names none of the known others).
    public static func of(modelType: String?, isEncoderDecoder: Bool = false) -> Architecture {
        let type = modelType?.lowercased() ?? ""
        if isEncoderDecoder || encoderDecoderTypes.contains(type) { return .encoderDecoder }
        if encoderTypes.contains(type) { return .encoder }
        return .decoder
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
    /// The sliding attention window (`sliding_window`): each token attends to at most this many
    /// positions and the cache keeps only that many. Nil when the model has none.
    public var slidingWindow: Int?
    /// Whether the config states `sliding_window` at all (Mixtral states `null`: no window).
    public var statesSlidingWindow = false
    /// Decoder, encoder or encoder-decoder, from `model_type` (or `is_encoder_decoder`).
    public var architecture: Architecture = .decoder

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
        self.architecture = Architecture.of(modelType: modelType)
    }

    /// Whether scores are divided by √d_k at run time. T5 does not: its initialisation folds the
    /// scale into the query weights (Mesh TensorFlow's convention, kept by every T5 implementation).
    public var scalesScores: Bool { !["t5", "mt5", "umt5"].contains(modelType?.lowercased() ?? "") }

    /// The per-head query/key width: for MLA the non-rotary and rotary parts together (192 in
    /// DeepSeek-V2-Lite), which is what the scores' dot products run over.
    public var queryKeyWidth: Int { headDim + (latent?.qkRopeHeadDim ?? 0) }

    /// True when the per-head query/key width is exactly d_model split evenly across the heads.
    public var queryKeyWidthEqualsSplit: Bool { dModel % heads == 0 && dModel / heads == queryKeyWidth }

    /// Positions the self-attention cache holds after `tokens` tokens: none for an encoder, at most
    /// the window for a sliding-window model, else all of them.
    public func cacheTokens(_ tokens: Int) -> Int {
        if architecture == .encoder { return 0 }
        if let window = slidingWindow { return min(max(tokens, 0), window) }
        return max(tokens, 0)
    }

    /// Layers whose self-attention is cached while generating: the decoder's for an encoder-decoder
    /// (`num_decoder_layers`, else as many as the encoder), none for an encoder, every layer otherwise.
    public var cachedLayers: Int {
        switch architecture {
        case .encoder: 0
        case .encoderDecoder: decoderLayers ?? layers
        case .decoder: layers
        }
    }

    /// Query heads that share each K/V head (`heads / kv_heads`).
    public var groupSize: Int { heads / kvHeads }

    /// True when `head_dim` is exactly d_model split evenly across the heads.
    public var headDimEqualsSplit: Bool { dModel % heads == 0 && dModel / heads == headDim }
}
