/// What one run of a `MultiHeadAttention` layer produced: every named tensor, the shape trace, the
/// cost model of its configuration, and the multiply-adds it actually issued to BLAS.
public struct AttentionRun: Sendable {
    /// The layer's configuration.
    public let config: AttentionConfig
    /// The mask applied.
    public let mask: AttentionMask
    /// Query tokens `T`.
    public let tokens: Int
    /// Key/value tokens `S` (equal to `tokens` in self-attention).
    public let sourceTokens: Int
    /// Whether keys and values came from a separate source sequence (cross-attention).
    public let isCross: Bool

    /// The query-side input `x`, `[T, d_model]`.
    public let input: Tensor
    /// The key/value-side input, `[S, d_model]` (the same tensor as `input` in self-attention).
    public let source: Tensor
    /// Queries `x·W_Q + b_Q`, `[T, h·d_k]`.
    public let q: Tensor
    /// Keys, `[S, kv·d_k]` (MLA: expanded from the latent, `[S, h·d_k]`, without the rotary part).
    public let k: Tensor
    /// Values, `[S, kv·d_k]` (MLA: `[S, h·d_k]`).
    public let v: Tensor
    /// MLA latent `c_KV = source·W_DKV + b`, `[S, r]`; nil for other variants.
    public let latent: Tensor?
    /// MLA rotary queries after RoPE, `[T, h·d_r]`; nil without a rotary part.
    public let qRope: Tensor?
    /// MLA shared rotary key after RoPE, `[S, d_r]`; nil without a rotary part.
    public let kRope: Tensor?
    /// Queries split per head, `[h, T, d_k (+ d_r)]`.
    public let qHeads: Tensor
    /// Keys per K/V head, `[kv, S, d_k (+ d_r)]`.
    public let kHeads: Tensor
    /// Values per K/V head, `[kv, S, d_k]`.
    public let vHeads: Tensor
    /// Scaled scores `q_i·k_jᵀ / √d_k` before masking and softmax, `[h, T, S]`.
    public let scores: Tensor
    /// Attention weights after mask and softmax, `[h, T, S]`; each allowed row sums to 1.
    public let weights: Tensor
    /// Per-head weighted sums of values, `[h, T, d_k]`.
    public let headOutputs: Tensor
    /// Head outputs side by side, `[T, h·d_k]`.
    public let concat: Tensor
    /// The layer's output `concat·W_O + b_O`, `[T, d_model]`.
    public let output: Tensor

    /// Each step with the shape it produced, in order.
    public let trace: ShapeTrace
    /// Counts from the configuration: parameters, multiply-adds, KV cache, attention computations.
    public let cost: AttentionCost
    /// Multiply-adds actually issued to BLAS by each step (keys as in `cost.steps`).
    public let performedMultiplyAdds: [String: Int]

    /// Every tensor of the run by trace name (`input`, `q`, …, `latent` for MLA).
    public var tensors: [String: Tensor] {
        var map: [String: Tensor] = [
            "input": input, "q": q, "k": k, "v": v, "q_heads": qHeads, "k_heads": kHeads, "v_heads": vHeads,
            "scores": scores, "weights": weights, "head_outputs": headOutputs, "concat": concat, "output": output,
        ]
        if isCross { map["source"] = source }
        if let latent { map["latent"] = latent }
        if let qRope { map["q_rope"] = qRope }
        if let kRope { map["k_rope"] = kRope }
        return map
    }

    /// The tensor called `name` in the trace, if the run produced one.
    public func tensor(named name: String) -> Tensor? { tensors[name] }
}
