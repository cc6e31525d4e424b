/// A number format for cached keys and values, with its size in bytes.
public enum DType: String, Sendable, CaseIterable {
    /// 32-bit float, 4 bytes.
    case fp32
    /// bfloat16, 2 bytes.
    case bf16
    /// IEEE half precision, 2 bytes.
    case fp16
    /// 8-bit integer quantisation, 1 byte.
    case int8

    /// Bytes per number.
    public var bytes: Int {
        switch self {
        case .fp32: 4
        case .bf16, .fp16: 2
        case .int8: 1
        }
    }
}

/// One learned projection of the layer: `y = x·W + b` with `W` of shape `[in, out]`.
public struct ProjectionCost: Sendable, Equatable {
    /// The weight's name as used in the docs and trace, e.g. `W_Q`, `W_DKV`.
    public let name: String
    /// Input width.
    public let inputs: Int
    /// Output width.
    public let outputs: Int
    /// Whether the projection has a bias of `outputs` numbers.
    public let bias: Bool

    /// Weights plus biases: `in · out (+ out)`.
    public var params: Int { satSum(sat(inputs, outputs), bias ? outputs : 0) }
}

/// The multiply-adds one step of a run performs (a multiply-add is two floating-point operations).
public struct StepCost: Sendable, Equatable {
    /// The step's name, matching the trace (`q`, `k`, `v`, `latent`, `scores`, `head_outputs`, `output`, …).
    public let name: String
    /// Multiply-adds the step's matrix products perform.
    public let multiplyAdds: Int
}

/// Counts computed from the configuration alone: parameters, multiply-adds, KV cache, attention count.
///
/// Tests check these against what a run actually allocates and multiplies.
public struct AttentionCost: Sendable, Equatable {
    /// The configuration counted.
    public let config: AttentionConfig
    /// Query tokens `T`.
    public let tokens: Int
    /// Key/value tokens `S`.
    public let sourceTokens: Int

    /// Counts for `config` run over `tokens` queries and `sourceTokens` keys/values (default `tokens`).
    public init(config: AttentionConfig, tokens: Int, sourceTokens: Int? = nil) {
        self.config = config
        self.tokens = tokens
        self.sourceTokens = sourceTokens ?? tokens
    }

    /// Every projection of one layer, in the order the run applies them.
    public var projections: [ProjectionCost] {
        let c = config, d = c.dModel, b = c.bias
        if c.isLatent {
            var list = [ProjectionCost(name: "W_Q", inputs: d, outputs: c.queryWidth, bias: b)]
            if c.ropeDim > 0 { list.append(ProjectionCost(name: "W_QR", inputs: d, outputs: sat(c.heads, c.ropeDim), bias: b)) }
            list.append(ProjectionCost(name: "W_DKV", inputs: d, outputs: c.kvLoraRank, bias: b))
            list.append(ProjectionCost(name: "W_UK", inputs: c.kvLoraRank, outputs: c.keyValueWidth, bias: b))
            list.append(ProjectionCost(name: "W_UV", inputs: c.kvLoraRank, outputs: c.keyValueWidth, bias: b))
            if c.ropeDim > 0 { list.append(ProjectionCost(name: "W_KR", inputs: d, outputs: c.ropeDim, bias: b)) }
            list.append(ProjectionCost(name: "W_O", inputs: c.queryWidth, outputs: d, bias: b))
            return list
        }
        return [
            ProjectionCost(name: "W_Q", inputs: d, outputs: c.queryWidth, bias: b),
            ProjectionCost(name: "W_K", inputs: d, outputs: c.keyValueWidth, bias: b),
            ProjectionCost(name: "W_V", inputs: d, outputs: c.keyValueWidth, bias: b),
            ProjectionCost(name: "W_O", inputs: c.queryWidth, outputs: d, bias: b),
        ]
    }

    private func params(_ names: Set<String>) -> Int {
        projections.filter { names.contains($0.name) }.reduce(0) { satSum($0, $1.params) }
    }

    /// Parameters producing queries: `W_Q` (plus `W_QR` for MLA), weights and biases.
    public var paramsQ: Int { params(["W_Q", "W_QR"]) }
    /// Parameters producing keys: `W_K` (MLA: `W_UK` plus `W_KR`; the shared `W_DKV` is `paramsLatent`).
    public var paramsK: Int { params(["W_K", "W_UK", "W_KR"]) }
    /// Parameters producing values: `W_V` (MLA: `W_UV`).
    public var paramsV: Int { params(["W_V", "W_UV"]) }
    /// Parameters of the output projection `W_O`.
    public var paramsO: Int { params(["W_O"]) }
    /// Parameters of MLA's down-projection `W_DKV` into the latent (0 otherwise).
    public var paramsLatent: Int { params(["W_DKV"]) }
    /// All attention parameters of one layer.
    public var paramsPerLayer: Int { projections.reduce(0) { satSum($0, $1.params) } }
    /// All attention parameters of the model (`layers` layers).
    public var params: Int { sat(paramsPerLayer, config.layers) }

    /// Multiply-adds of each step of one layer's forward pass, in order.
    public var steps: [StepCost] {
        let c = config, t = tokens, s = sourceTokens
        let qkWidth = c.headDim + c.ropeDim
        var list: [StepCost] = []
        for p in projections where p.name != "W_O" {
            let rows = (p.name == "W_Q" || p.name == "W_QR") ? t : s
            list.append(StepCost(name: AttentionCost.stepName[p.name] ?? p.name, multiplyAdds: sat(rows, p.inputs, p.outputs)))
        }
        list.append(StepCost(name: "scores", multiplyAdds: sat(c.heads, t, s, qkWidth)))
        list.append(StepCost(name: "head_outputs", multiplyAdds: sat(c.heads, t, s, c.headDim)))
        list.append(StepCost(name: "output", multiplyAdds: sat(t, c.queryWidth, c.dModel)))
        return list
    }

    /// The trace step produced by each projection.
    static let stepName = ["W_Q": "q", "W_QR": "q_rope", "W_DKV": "latent", "W_UK": "k", "W_UV": "v", "W_KR": "k_rope", "W_K": "k", "W_V": "v", "W_O": "output"]

    /// Multiply-adds of one layer's forward pass (softmax and bias additions not counted).
    public var multiplyAdds: Int { steps.reduce(0) { satSum($0, $1.multiplyAdds) } }

    /// Floating-point operations of one layer's matrix products: 2 × multiply-adds.
    public var flops: Int { sat(2, multiplyAdds) }

    /// Numbers cached per token per layer for generation: `2 · kv · d_k` (keys and values), or for
    /// MLA the latent plus the shared rotary key, `r + d_r`.
    public var kvCacheValuesPerTokenPerLayer: Int {
        config.isLatent ? config.kvLoraRank + config.ropeDim : sat(2, config.kvHeads, config.headDim)
    }

    /// KV-cache bytes per token for one layer at `dtype`.
    public func kvCacheBytesPerTokenPerLayer(_ dtype: DType = .bf16) -> Int {
        sat(kvCacheValuesPerTokenPerLayer, dtype.bytes)
    }

    /// KV-cache bytes per token for the whole model (`layers` layers) at `dtype`.
    public func kvCacheBytesPerToken(_ dtype: DType = .bf16) -> Int {
        sat(kvCacheBytesPerTokenPerLayer(dtype), config.layers)
    }

    /// Attention computations (score matrices) per forward pass of the whole model: `layers × heads`.
    public var attentionComputations: Int { sat(config.layers, config.heads) }
}

/// Product of the factors, saturating at `Int.max` instead of trapping on overflow.
func sat(_ factors: Int...) -> Int {
    var total = 1
    for f in factors {
        let (p, o) = total.multipliedReportingOverflow(by: f)
        if o { return Int.max }
        total = p
    }
    return total
}

/// Sum of the terms, saturating at `Int.max` instead of trapping on overflow.
func satSum(_ terms: Int...) -> Int {
    var total = 0
    for t in terms {
        let (sum, o) = total.addingReportingOverflow(t)
        if o { return Int.max }
        total = sum
    }
    return total
}
