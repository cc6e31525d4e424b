import Testing
@testable import AttentionCore

/// Widens K/V weights `[in, kv·d_k]` to `[in, h·d_k]` by repeating each K/V head for its group.
private func repeatHeads(_ t: Tensor, kv: Int, heads: Int, dk: Int) -> Tensor {
    let rows = t.rank == 2 ? t.shape[0] : 1
    let g = heads / kv
    var out: [Float] = []
    for r in 0..<rows {
        for i in 0..<heads {
            let j = i / g
            let start: Int = r * kv * dk + j * dk
            out.append(contentsOf: t.storage[start ..< start + dk])
        }
    }
    return Tensor(unchecked: t.rank == 2 ? [rows, heads * dk] : [heads * dk], out)
}

/// The same layer as MHA: every query head gets its own copy of its group's K/V weights.
private func expandedToMHA(_ layer: MultiHeadAttention) throws -> MultiHeadAttention {
    let c = layer.config, w = layer.weights
    func widen(_ name: String) throws -> Linear {
        let p = try #require(w[name])
        return try Linear(weight: repeatHeads(p.weight, kv: c.kvHeads, heads: c.heads, dk: c.headDim),
                          bias: p.bias.map { repeatHeads($0, kv: c.kvHeads, heads: c.heads, dk: c.headDim) })
    }
    let mha = AttentionConfig(dModel: c.dModel, heads: c.heads, kvHeads: c.heads, headDim: c.headDim, bias: c.bias)
    return try MultiHeadAttention(config: mha, weights: AttentionWeights(q: try #require(w["W_Q"]), k: widen("W_K"), v: widen("W_V"), o: try #require(w["W_O"])))
}

@Suite("MultiHeadAttention")
struct MultiHeadAttentionTests {
    /// The hand-worked layer: d_model = 2, h = 2, d_k = 1, W_Q = W_K = W_V = I with zero biases,
    /// W_O = [[1, 1], [0, 1]], b_O = [0.5, −0.5]; input x = [[1, 2], [3, 4]].
    private func handLayer() throws -> (MultiHeadAttention, Tensor) {
        let identity = matrix([[1, 0], [0, 1]]), zero = vector([0, 0])
        let weights = AttentionWeights(
            q: try Linear(weight: identity, bias: zero), k: try Linear(weight: identity, bias: zero),
            v: try Linear(weight: identity, bias: zero), o: try Linear(weight: matrix([[1, 1], [0, 1]]), bias: vector([0.5, -0.5])))
        return (try MultiHeadAttention(config: AttentionConfig(dModel: 2, heads: 2), weights: weights), matrix([[1, 2], [3, 4]]))
    }

    @Test("2 tokens, 2 heads: weights and output match the values worked by hand")
    func handWorked() throws {
        let (layer, x) = try handLayer()
        let run = try layer.run(input: x)
        // Head 0 sees column 0: q = k = v = [1, 3]; d_k = 1 so the scale is 1.
        //   scores = q·kᵀ = [[1, 3], [3, 9]]
        //   row 0: softmax([1, 3]) = [1/(1+e²), e²/(1+e²)] = [0.11920292, 0.88079708]
        //   row 1: softmax([3, 9]) = [1/(1+e⁶), e⁶/(1+e⁶)] = [0.00247262, 0.99752738]
        //   out = weights·v = [1 + 2·0.88079708, 1 + 2·0.99752738] = [2.76159416, 2.99505475]
        // Head 1 sees column 1: q = k = v = [2, 4].
        //   scores = [[4, 8], [8, 16]]
        //   row 0: [1/(1+e⁴), e⁴/(1+e⁴)] = [0.01798621, 0.98201379]
        //   row 1: [1/(1+e⁸), e⁸/(1+e⁸)] = [0.00033535, 0.99966465]
        //   out = [2 + 2·0.98201379, 2 + 2·0.99966465] = [3.96402758, 3.99932930]
        // concat = [[2.76159416, 3.96402758], [2.99505475, 3.99932930]]
        // output = concat·W_O + b_O = [c₀ + 0.5, c₀ + c₁ − 0.5]
        //        = [[3.26159416, 6.22562174], [3.49505475, 6.49438405]]
        #expect(run.scores.storage == [1, 3, 3, 9, 4, 8, 8, 16])
        #expect(close(run.weights.storage, [0.11920292, 0.88079708, 0.00247262, 0.99752738,
                                            0.01798621, 0.98201379, 0.00033535, 0.99966465], 1e-6))
        #expect(close(run.concat.storage, [2.76159416, 3.96402758, 2.99505475, 3.99932930], 1e-5))
        #expect(close(run.headOutputs.storage, [2.76159416, 2.99505475, 3.96402758, 3.99932930], 1e-5))
        #expect(close(run.output.storage, [3.26159416, 6.22562174, 3.49505475, 6.49438405], 1e-5))
    }

    @Test("2 tokens, 2 heads, causal: token 0 attends only to itself, so its output is its own values")
    func handWorkedCausal() throws {
        let (layer, x) = try handLayer()
        let run = try layer.run(input: x, mask: .causal)
        // Row 0 of each head keeps only key 0: weight 1. Row 1 is unchanged from the unmasked case.
        // concat row 0 = [1, 2] (token 0's values), so output row 0 = [1 + 0.5, 1 + 2 − 0.5] = [1.5, 2.5].
        #expect(close(run.weights.storage, [1, 0, 0.00247262, 0.99752738, 1, 0, 0.00033535, 0.99966465], 1e-6))
        #expect(close(run.output.storage, [1.5, 2.5, 3.49505475, 6.49438405], 1e-5))
    }

    @Test("every row of the attention weights sums to 1 and the output has the input's shape")
    func invariants() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 96, heads: 12, kvHeads: 4), tokens: 21, seed: 5)
        #expect(run.output.shape == run.input.shape)
        #expect(run.weights.shape == [12, 21, 21])
        for row in 0..<(12 * 21) {
            let sum = run.weights.storage[row * 21 ..< (row + 1) * 21].reduce(0, +)
            #expect(close(sum, 1, 1e-5))
        }
        #expect(run.weights.storage.allSatisfy { $0 >= 0 && $0.isFinite })
    }

    @Test("GQA with kv_heads = heads is MHA: the same seeded weights give the same output")
    func gqaWithAllHeadsIsMHA() throws {
        let mha = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 32, heads: 4), tokens: 6, seed: 9)
        let gqa = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 32, heads: 4, kvHeads: 4), tokens: 6, seed: 9)
        #expect(gqa.output == mha.output)
    }

    @Test("GQA equals MHA whose K/V weights repeat each group's head")
    func gqaEqualsRepeatedMHA() throws {
        let layer = try MultiHeadAttention(config: AttentionConfig(dModel: 48, heads: 6, kvHeads: 2), seed: 4)
        let x = Tensor.seededInput(tokens: 9, width: 48, seed: 4)
        let gqa = try layer.run(input: x, mask: .causal)
        let mha = try expandedToMHA(layer).run(input: x, mask: .causal)
        #expect(close(gqa.output, mha.output, 1e-5))
        #expect(close(gqa.weights, mha.weights, 1e-6))
    }

    @Test("MQA is GQA with a single group: one K/V head shared by every query head")
    func mqaIsOneGroup() throws {
        let layer = try MultiHeadAttention(config: AttentionConfig(dModel: 40, heads: 5, kvHeads: 1), seed: 2)
        #expect(layer.config.groupSize == 5)
        let x = Tensor.seededInput(tokens: 7, width: 40, seed: 2)
        let mqa = try layer.run(input: x)
        #expect(mqa.kHeads.shape == [1, 7, 8])
        let mha = try expandedToMHA(layer).run(input: x)
        #expect(close(mqa.output, mha.output, 1e-5))
    }

    @Test("under a causal mask the first token attends only to itself, and no query sees a later key")
    func causal() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 32, heads: 4), tokens: 40, causal: true, seed: 1)
        for head in 0..<4 {
            #expect(run.weights[head, 0, 0] == 1)
            for t in 0..<40 {
                for s in (t + 1)..<40 where s < 40 { #expect(run.weights[head, t, s] == 0) }
            }
        }
    }

    @Test("cross-attention output has the query length; weights are [h, T, S]")
    func cross() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 32, heads: 4), tokens: 3, sourceTokens: 11, seed: 1)
        #expect(run.output.shape == [3, 32])
        #expect(run.weights.shape == [4, 3, 11])
        #expect(run.k.shape == [11, 32])
        #expect(run.isCross && run.tensors["source"]?.shape == [11, 32])
    }

    @Test("a padded key gets weight 0, and the output equals attending over the sequence without it")
    func padding() throws {
        let layer = try MultiHeadAttention(config: AttentionConfig(dModel: 24, heads: 3), seed: 6)
        let x = Tensor.seededInput(tokens: 4, width: 24, seed: 6)
        let source = Tensor.seededInput(tokens: 5, width: 24, seed: 6, name: "source")
        let masked = try layer.run(input: x, source: source, mask: AttentionMask(keyAllowed: [true, true, false, true, true]))
        let shorter = try Tensor(shape: [4, 24], storage: Array(source.storage[0..<48] + source.storage[72..<120]))
        let without = try layer.run(input: x, source: shorter)
        for h in 0..<3 { for t in 0..<4 { #expect(masked.weights[h, t, 2] == 0) } }
        #expect(close(masked.output, without.output, 1e-5))
    }

    @Test("a query with no allowed key gets all-zero weights and head output, never NaN")
    func fullyMaskedRow() throws {
        let layer = try MultiHeadAttention(config: AttentionConfig(dModel: 8, heads: 2), seed: 3)
        let x = Tensor.seededInput(tokens: 3, width: 8, seed: 3)
        let run = try layer.run(input: x, mask: AttentionMask(keyAllowed: [false, false, false]))
        #expect(run.weights.storage.allSatisfy { $0 == 0 })
        #expect(run.concat.storage.allSatisfy { $0 == 0 })
        let bO = try #require(layer.weights["W_O"]?.bias)
        for t in 0..<3 { #expect(Array(run.output.storage[t * 8 ..< (t + 1) * 8]) == bO.storage) }
    }

    @Test("MLA without a rotary part equals MHA with the absorbed weights W_K = W_DKV·W_UK, W_V = W_DKV·W_UV")
    func latentEqualsExpansion() throws {
        let config = AttentionConfig(dModel: 32, heads: 4, kvLoraRank: 6)
        let layer = try MultiHeadAttention(config: config, seed: 8)
        let w = layer.weights
        let down = try #require(w["W_DKV"]), upK = try #require(w["W_UK"]), upV = try #require(w["W_UV"])
        // k = (x·W_DKV + b_DKV)·W_UK + b_UK = x·(W_DKV·W_UK) + (b_DKV·W_UK + b_UK)
        func absorbed(_ up: Linear) throws -> Linear {
            let bDown = try #require(down.bias), bUp = try #require(up.bias)
            let bias = try matmul(bDown.reshaped([1, 6]), up.weight).storage
            return try Linear(weight: try matmul(down.weight, up.weight), bias: vector(zip(bias, bUp.storage).map(+)))
        }
        let mha = try MultiHeadAttention(config: AttentionConfig(dModel: 32, heads: 4),
                                         weights: AttentionWeights(q: try #require(w["W_Q"]), k: absorbed(upK), v: absorbed(upV), o: try #require(w["W_O"])))
        let x = Tensor.seededInput(tokens: 7, width: 32, seed: 8)
        let latent = try layer.run(input: x, mask: .causal)
        #expect(latent.latent?.shape == [7, 6])
        #expect(close(latent.output, try mha.run(input: x, mask: .causal).output, 1e-5))
    }

    @Test("MLA with a rotary part scores each head as [q_i; q_rope_i]·[k_i; k_rope]ᵀ / √(d_k + d_r)")
    func latentWithRope() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 32, heads: 4, kvLoraRank: 6, ropeDim: 4), tokens: 5, seed: 2)
        #expect(run.qHeads.shape == [4, 5, 12] && run.kHeads.shape == [4, 5, 12] && run.vHeads.shape == [4, 5, 8])
        let scale = 1 / Float(12).squareRoot()
        for head in 0..<4 {
            for t in 0..<5 {
                for s in 0..<5 {
                    var dot: Float = 0
                    for c in 0..<12 { dot += run.qHeads[head, t, c] * run.kHeads[head, s, c] }
                    #expect(close(run.scores[head, t, s], dot * scale, 1e-5))
                }
            }
            // the rotary key part is the same for every head
            #expect(run.kHeads[head, 3, 10] == run.kHeads[0, 3, 10])
        }
    }

    @Test("forward (online softmax, normalised after the weighted sum) computes the output run records, to float rounding")
    func forwardEqualsRun() throws {
        for config in [AttentionConfig(dModel: 48, heads: 6, kvHeads: 3), AttentionConfig(dModel: 48, heads: 6, kvLoraRank: 8, ropeDim: 2)] {
            let layer = try MultiHeadAttention(config: config, seed: 1)
            let x = Tensor.seededInput(tokens: 300, width: 48, seed: 1)
            let recorded = try layer.run(input: x, mask: .causal).output
            #expect(close(try layer.forward(input: x, mask: .causal), recorded, 1e-6))
        }
    }

    @Test("the same seed gives the same run; another seed another")
    func seeds() throws {
        let config = AttentionConfig(dModel: 16, heads: 2)
        let a = try MultiHeadAttention.seededRun(config: config, tokens: 3, seed: 11)
        let b = try MultiHeadAttention.seededRun(config: config, tokens: 3, seed: 11)
        let c = try MultiHeadAttention.seededRun(config: config, tokens: 3, seed: 12)
        #expect(a.output == b.output && a.weights == b.weights)
        #expect(a.output != c.output)
    }

    @Test("an explicit head_dim ≠ d_model / heads gives q of width h·d_k and output of width d_model")
    func explicitHeadDim() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 30, heads: 4, headDim: 16), tokens: 5, seed: 0)
        #expect(run.q.shape == [5, 64] && run.concat.shape == [5, 64] && run.output.shape == [5, 30])
    }

    @Test("wrong inputs are refused with a sentence: width, padding length, weight shapes")
    func invalidInputs() throws {
        let layer = try MultiHeadAttention(config: AttentionConfig(dModel: 8, heads: 2), seed: 0)
        #expect(throws: AttentionError.self) { try layer.run(input: Tensor(zeros: [3, 7])) }
        #expect(throws: AttentionError.self) { try layer.run(input: Tensor(zeros: [3, 8]), mask: AttentionMask(keyAllowed: [true])) }
        let bad = AttentionWeights(q: try Linear(weight: Tensor(zeros: [8, 8])), k: try Linear(weight: Tensor(zeros: [8, 4])),
                                   v: try Linear(weight: Tensor(zeros: [8, 8])), o: try Linear(weight: Tensor(zeros: [8, 8])))
        #expect(throws: AttentionError("W_Q has no bias, but the configuration says projections have biases; pass bias: false or give the bias.")) {
            try MultiHeadAttention(config: AttentionConfig(dModel: 8, heads: 2), weights: bad)
        }
        #expect(throws: AttentionError.self) { try MultiHeadAttention(config: AttentionConfig(dModel: 8, heads: 2, bias: false), weights: bad) }
        #expect(throws: AttentionError.self) { try MultiHeadAttention(config: AttentionConfig(dModel: 8, heads: 3), seed: 0) }
    }
}
