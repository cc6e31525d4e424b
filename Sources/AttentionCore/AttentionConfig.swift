import Support
/// The configuration of one attention layer. MHA, GQA, MQA, an explicit head width,
/// cross-attention and MLA are all settings of this one struct, run by the same `MultiHeadAttention`.
///
/// Dimension names used throughout: `T` query tokens, `S` key/value (source) tokens (`S = T` in
/// self-attention), `d_model` model width, `h` query heads, `kv` key/value heads, `d_k` head width,
/// `g = h / kv` query heads per K/V head, `r` MLA latent width (`kv_lora_rank`), `d_r` MLA rotary width.
public struct AttentionConfig: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Model width `d_model`: the width of each input and output token vector.
    public var dModel: Int
    /// Number of query heads `h`.
    public var heads: Int
    /// Number of key/value heads `kv`: equal to `heads` for MHA, 1 for MQA, a divisor in between for GQA.
    public var kvHeads: Int
    /// Head width `d_k` when set explicitly (some published models use `h · d_k ≠ d_model`); nil means `d_model / h`.
    public var explicitHeadDim: Int?
    /// MLA latent width `r` (`kv_lora_rank`): keys and values are compressed to `r` numbers per token
    /// and expanded per head. 0 means no latent (MHA/GQA/MQA).
    public var kvLoraRank: Int
    /// MLA decoupled rotary width `d_r` (`qk_rope_head_dim`): extra query/key dimensions carrying
    /// position through RoPE, with one rotary key shared by all heads. 0 means none. MLA only.
    public var ropeDim: Int
    /// Whether every projection has a bias (`y = x·W + b`, as in BERT); false means `y = x·W` (as in Llama).
    public var bias: Bool
    /// Number of layers `L` of the whole model, for whole-model counts (the run itself is one layer).
    public var layers: Int

    /// The largest memory, in bytes, that one run may need for weights plus activations: the
    /// process's memory budget (`MemoryBudget.shared`, derived from the machine's physical memory).
    public static var memoryLimitBytes: Int { MemoryBudget.shared.limit }

    /// Creates a configuration; `kvHeads` defaults to `heads`, `headDim` to `dModel / heads`.
    /// Nothing is checked here: call `validate(tokens:sourceTokens:)` before building a layer.
    public init(dModel: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil, kvLoraRank: Int = 0,
                ropeDim: Int = 0, bias: Bool = true, layers: Int = 1) {
        self.dModel = dModel
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        self.explicitHeadDim = headDim
        self.kvLoraRank = kvLoraRank
        self.ropeDim = ropeDim
        self.bias = bias
        self.layers = layers
    }

    /// Head width `d_k`: the explicit head width, else `d_model / h`.
    public var headDim: Int { explicitHeadDim ?? (heads > 0 ? dModel / heads : 0) }

    /// Query heads sharing each K/V head, `g = h / kv` (1 for MHA and MLA, `h` for MQA).
    public var groupSize: Int { kvHeads > 0 ? heads / kvHeads : 0 }

    /// Whether this is multi-head latent attention.
    public var isLatent: Bool { kvLoraRank > 0 }

    /// The variant: MLA (a latent), MHA (kv = h), MQA (kv = 1 < h) or GQA.
    public var kind: AttentionKind {
        isLatent ? .mla : AttentionKind.classify(heads: heads, kvHeads: kvHeads)
    }

    /// Width of all query heads together, `h · d_k`.
    public var queryWidth: Int { heads * headDim }

    /// Width of all key (or value) heads together: `kv · d_k` (MLA expands to `h · d_k`).
    public var keyValueWidth: Int { (isLatent ? heads : kvHeads) * headDim }

    /// A one-line summary, e.g. `GQA d_model=8192 h=64 kv=8 d_k=128`.
    public var description: String {
        var text = "\(kind) d_model=\(dModel) h=\(heads) kv=\(kvHeads) d_k=\(headDim)"
        if isLatent { text += " r=\(kvLoraRank) d_r=\(ropeDim)" }
        if layers != 1 { text += " layers=\(layers)" }
        return text
    }

    /// The largest size accepted for any one dimension (d_model, heads, head_dim, tokens, …).
    public static let maxDimension = 1 << 20

    /// Checks the configuration for a run over `tokens` queries and `sourceTokens` keys/values
    /// (default: self-attention), including that weights plus activations fit in `memoryLimit`
    /// bytes. Nothing is allocated. Throws an `AttentionError` whose message says what is wrong.
    public func validate(tokens: Int = 1, sourceTokens: Int? = nil, memoryLimit: Int = AttentionConfig.memoryLimitBytes) throws {
        let sizes: [(String, Int)] = [("d_model", dModel), ("heads", heads), ("kv_heads", kvHeads), ("layers", layers),
                                      ("tokens", tokens), ("source tokens", sourceTokens ?? tokens)]
        for (name, value) in sizes where value < 1 {
            throw AttentionError("\(name) must be at least 1; got \(value).")
        }
        if let explicitHeadDim, explicitHeadDim < 1 {
            throw AttentionError("head_dim must be at least 1; got \(explicitHeadDim).")
        }
        if kvLoraRank < 0 { throw AttentionError("kv_lora_rank must be 0 (no latent) or more; got \(kvLoraRank).") }
        if ropeDim < 0 { throw AttentionError("rope_dim must be 0 (no rotary part) or more; got \(ropeDim).") }
        for (name, value) in sizes + [("head_dim", explicitHeadDim ?? 0), ("kv_lora_rank", kvLoraRank), ("rope_dim", ropeDim)]
        where value > AttentionConfig.maxDimension {
            throw AttentionError("\(name) = \(value) is absurdly large; the core accepts at most \(AttentionConfig.maxDimension) for any one size.")
        }
        if explicitHeadDim == nil && dModel % heads != 0 {
            throw AttentionError("d_model = \(dModel) is not divisible by heads = \(heads), so d_k = d_model / heads is not a whole number; give head_dim explicitly or pick a divisor.")
        }
        if kvHeads > heads {
            throw AttentionError("kv_heads = \(kvHeads) is more than heads = \(heads); each K/V head must serve at least one query head.")
        }
        if heads % kvHeads != 0 {
            throw AttentionError("kv_heads = \(kvHeads) does not divide heads = \(heads), so the query heads cannot be split into equal groups sharing one K/V head.")
        }
        if isLatent && kvHeads != heads {
            throw AttentionError("MLA expands the latent into one key and value per query head, so kv_heads must equal heads (\(heads)); got \(kvHeads).")
        }
        if !isLatent && ropeDim != 0 {
            throw AttentionError("rope_dim (the decoupled rotary part) belongs to MLA; set kv_lora_rank too, or drop rope_dim.")
        }
        if ropeDim % 2 != 0 {
            throw AttentionError("rope_dim must be even, since RoPE rotates pairs of dimensions; got \(ropeDim).")
        }
        guard let bytes = estimatedBytes(tokens: tokens, sourceTokens: sourceTokens) else {
            throw AttentionError("This configuration is too large to even count its memory; it would not fit in any machine.")
        }
        if bytes > memoryLimit {
            throw AttentionError("Running this layer over \(tokens) tokens would need about \(formatBytes(bytes)) for weights and activations, more than the \(formatBytes(memoryLimit)) limit; use fewer tokens or a smaller layer, or raise the memory budget with MHALEARN_MEMORY_BUDGET (for example 16G).")
        }
        if memoryLimit != Int.max, bytes > MemoryBudget.shared.available {
            throw AttentionError(MemoryBudget.Exceeded(what: "Running this layer over \(tokens) tokens", requested: bytes,
                                                       used: MemoryBudget.shared.used, limit: MemoryBudget.shared.limit).description)
        }
    }

    /// Bytes of fp32 weights plus every activation a recorded run keeps, or nil on overflow.
    ///
    /// Counts all weight matrices and biases, the input and source, q/k/v (and latent and rotary
    /// parts), their per-head copies, scores and weights `[h, T, S]` each, head outputs, concat and output.
    public func estimatedBytes(tokens: Int, sourceTokens: Int? = nil) -> Int? {
        let s = sourceTokens ?? tokens
        let cost = AttentionCost(config: self, tokens: tokens, sourceTokens: s)
        let terms: [[Int]] = [
            [tokens, dModel], [s, dModel],                                   // input, source
            [2, tokens, queryWidth + heads * ropeDim],                       // q (+ q_rope), q_heads
            [2, 2, s, keyValueWidth + ropeDim],                              // k, v, k_heads, v_heads
            [s, kvLoraRank],                                                 // latent
            [2, heads, tokens, s],                                           // scores, weights
            [2, tokens, queryWidth],                                         // head_outputs, concat
            [tokens, dModel],                                                // output
        ]
        var floats = cost.paramsPerLayer
        guard floats >= 0 else { return nil }
        for term in terms {
            guard let n = Tensor.elementCount(term) else { return nil }
            let (sum, overflow) = floats.addingReportingOverflow(n)
            if overflow { return nil }
            floats = sum
        }
        let (bytes, overflow) = floats.multipliedReportingOverflow(by: 4)
        return overflow ? nil : bytes
    }
}
