/// One learned projection `y = x·W + b`.
///
/// Layout: `weight` is `[in, out]` row-major, so row `i` holds the weights from input feature `i`
/// to every output, and `y = x·W` needs no transpose. (PyTorch's `nn.Linear.weight` is `[out, in]`:
/// transpose it when loading.) `bias`, when present, is `[out]`.
public struct Linear: Sendable, Equatable {
    /// The weight matrix `[in, out]`.
    public let weight: Tensor
    /// The bias `[out]`, or nil for a projection without bias.
    public let bias: Tensor?

    /// Creates a projection; throws unless `weight` is rank 2 and `bias` (if given) is `[out]`.
    public init(weight: Tensor, bias: Tensor? = nil) throws {
        guard weight.rank == 2 else {
            throw AttentionError("A projection weight must be a matrix [in, out]; got shape \(weight.shape).")
        }
        if let bias, bias.shape != [weight.shape[1]] {
            throw AttentionError("A projection bias must have shape [\(weight.shape[1])] to match weight \(weight.shape); got \(bias.shape).")
        }
        self.weight = weight
        self.bias = bias
    }

    /// Input width.
    public var inputs: Int { weight.shape[0] }
    /// Output width.
    public var outputs: Int { weight.shape[1] }
    /// Weights plus biases.
    public var params: Int { weight.count + (bias?.count ?? 0) }
}

/// The learned projections of one attention layer, by name.
///
/// MHA/GQA/MQA: `W_Q [d_model, h·d_k]`, `W_K`, `W_V [d_model, kv·d_k]`, `W_O [h·d_k, d_model]`.
/// MLA: `W_Q [d_model, h·d_k]`, `W_DKV [d_model, r]`, `W_UK`, `W_UV [r, h·d_k]`, `W_O [h·d_k, d_model]`,
/// and with a rotary part `W_QR [d_model, h·d_r]`, `W_KR [d_model, d_r]`.
public struct AttentionWeights: Sendable, Equatable {
    /// Every projection, keyed by its name (`W_Q`, `W_K`, …).
    public let projections: [String: Linear]

    /// Weights of an MHA, GQA or MQA layer (shapes as in the type's documentation).
    public init(q: Linear, k: Linear, v: Linear, o: Linear) {
        projections = ["W_Q": q, "W_K": k, "W_V": v, "W_O": o]
    }

    /// Weights of an MLA layer; `qRope` and `kRope` are given exactly when the rotary width is non-zero.
    public init(q: Linear, kvDown: Linear, kUp: Linear, vUp: Linear, o: Linear, qRope: Linear? = nil, kRope: Linear? = nil) {
        var map = ["W_Q": q, "W_DKV": kvDown, "W_UK": kUp, "W_UV": vUp, "W_O": o]
        if let qRope { map["W_QR"] = qRope }
        if let kRope { map["W_KR"] = kRope }
        projections = map
    }

    /// The projection called `name`, if this layer has one.
    public subscript(_ name: String) -> Linear? { projections[name] }

    /// Seeded weights for `config`: each projection `W_X` drawn uniform in ±1/√in from the stream
    /// named `W_X`, its bias (if the config has biases) from the stream `b_X`, same numbers everywhere.
    public static func seeded(config: AttentionConfig, seed: UInt64) -> AttentionWeights {
        var map: [String: Linear] = [:]
        for p in AttentionCost(config: config, tokens: 1).projections {
            let weight = Tensor.seededWeight(fanIn: p.inputs, fanOut: p.outputs, seed: seed, name: p.name)
            let bias = p.bias
                ? Tensor.uniform(shape: [p.outputs], bound: 1 / Float(max(p.inputs, 1)).squareRoot(),
                                 stream: SplitMix64.stream(seed, "b" + p.name.dropFirst()))
                : nil
            map[p.name] = Linear(unchecked: weight, bias)
        }
        return AttentionWeights(projections: map)
    }

    init(projections: [String: Linear]) { self.projections = projections }

    /// Throws unless these weights have exactly the projections, shapes and biases `config` needs.
    public func check(against config: AttentionConfig) throws {
        let expected = AttentionCost(config: config, tokens: 1).projections
        let names = Set(expected.map(\.name))
        if let extra = projections.keys.sorted().first(where: { !names.contains($0) }) {
            throw AttentionError("A \(config.kind) layer has no projection \(extra); expected \(expected.map(\.name).joined(separator: ", ")).")
        }
        for p in expected {
            guard let given = projections[p.name] else {
                throw AttentionError("The weights lack \(p.name) [\(p.inputs), \(p.outputs)], which a \(config.kind) layer needs.")
            }
            if given.weight.shape != [p.inputs, p.outputs] {
                throw AttentionError("\(p.name) must have shape [\(p.inputs), \(p.outputs)] ([in, out]) for \(config); got \(given.weight.shape).")
            }
            if p.bias != (given.bias != nil) {
                throw AttentionError(p.bias
                    ? "\(p.name) has no bias, but the configuration says projections have biases; pass bias: false or give the bias."
                    : "\(p.name) has a bias, but the configuration says projections have none; pass bias: true.")
            }
        }
    }
}

extension Linear {
    init(unchecked weight: Tensor, _ bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }
}

/// Which query/key pairs may attend to each other.
///
/// `causal`: query `t` may see key `s` only when `s ≤ t + (S − T)` (the queries are the last `T`
/// positions of the `S` keys; in self-attention `S = T`, so `s ≤ t`). `keyAllowed`: one flag per
/// key, false for padding. A query with no allowed key gets all-zero weights and a zero head output.
public struct AttentionMask: Sendable, Equatable {
    /// Whether each query sees only keys at or before its own position.
    public var causal: Bool
    /// One flag per key/value token: false hides that token from every query (padding); nil allows all.
    public var keyAllowed: [Bool]?

    /// Creates a mask.
    public init(causal: Bool = false, keyAllowed: [Bool]? = nil) {
        self.causal = causal
        self.keyAllowed = keyAllowed
    }

    /// No masking: every query sees every key.
    public static let none = AttentionMask()
    /// Causal masking only.
    public static let causal = AttentionMask(causal: true)

    /// Number of leading keys query `t` may see (before padding), for `T` queries over `S` keys.
    func allowedPrefix(query t: Int, queries: Int, keys: Int) -> Int {
        causal ? min(keys, max(0, t + keys - queries + 1)) : keys
    }
}
