import Testing
@testable import AttentionCore

/// Largest difference between two tensors relative to the largest magnitude of `reference`.
private func relativeDifference(_ a: Tensor, _ reference: Tensor) -> Float {
    let scale = reference.storage.map(abs).max() ?? 1
    return (a.maxAbsDifference(reference) ?? .infinity) / max(scale, 1e-30)
}

/// Rows `start ..< end` of a `[T, d]` tensor.
private func rows(_ t: Tensor, _ start: Int, _ end: Int) -> Tensor {
    let d = t.shape[1]
    return Tensor(unchecked: [end - start, d], Array(t.storage[(start * d)..<(end * d)]))
}

@Suite("DecodeSession")
struct DecodeSessionTests {
    static let variants: [AttentionConfig] = [
        AttentionConfig(dModel: 32, heads: 4),                                          // MHA
        AttentionConfig(dModel: 32, heads: 4, kvHeads: 2),                              // GQA
        AttentionConfig(dModel: 32, heads: 4, kvHeads: 1, bias: false),                 // MQA
        AttentionConfig(dModel: 24, heads: 4, kvHeads: 2, headDim: 8),                  // GQA, explicit d_k
        AttentionConfig(dModel: 128, heads: 64, kvHeads: 1, headDim: 4),                // MQA, large groups (sgemm path)
        AttentionConfig(dModel: 32, heads: 4, headDim: 8, kvLoraRank: 12),              // MLA, no rotary part
        AttentionConfig(dModel: 32, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 4),  // MLA with rotary key
        AttentionConfig(dModel: 32, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 4, bias: false),
    ]

    @Test("Prefill then decoding token by token gives the causal forward's rows, for every variant", arguments: variants)
    func decodeEqualsCausalForward(config: AttentionConfig) throws {
        let layer = try MultiHeadAttention(config: config, seed: 5)
        let input = Tensor.seededInput(tokens: 9, width: config.dModel, seed: 5)
        let reference = try layer.forward(input: input, mask: AttentionMask(causal: true))
        let session = try DecodeSession(layer: layer, capacity: 9)
        let prefilled = try session.prefill(rows(input, 0, 4))
        #expect(relativeDifference(prefilled, rows(reference, 0, 4)) <= 1e-4)
        for t in 4..<9 {
            let out = try session.decode(rows(input, t, t + 1))
            #expect(relativeDifference(out, rows(reference, t, t + 1)) <= 1e-4, "token \(t) of \(config)")
        }
        #expect(session.length == 9)
    }

    @Test("Decoding from an empty cache, one token at a time, gives the causal forward's rows", arguments: [variants[1], variants[5]])
    func decodeFromEmpty(config: AttentionConfig) throws {
        let layer = try MultiHeadAttention(config: config, seed: 2)
        let input = Tensor.seededInput(tokens: 5, width: config.dModel, seed: 2)
        let reference = try layer.forward(input: input, mask: AttentionMask(causal: true))
        let session = try DecodeSession(layer: layer, capacity: 5)
        for t in 0..<5 {
            #expect(relativeDifference(try session.decode(rows(input, t, t + 1)), rows(reference, t, t + 1)) <= 1e-4)
        }
    }

    @Test("MLA decoding with absorbed up-projections equals MLA with keys and values expanded from the latent")
    func absorbedMLAEqualsExpanded() throws {
        // a longer sequence with biases on W_UK (which absorption drops from the scores) and W_UV
        let config = AttentionConfig(dModel: 48, heads: 6, headDim: 8, kvLoraRank: 16, ropeDim: 6)
        let layer = try MultiHeadAttention(config: config, seed: 11)
        let input = Tensor.seededInput(tokens: 40, width: 48, seed: 11)
        let expanded = try layer.run(input: input, mask: AttentionMask(causal: true)).output
        let session = try DecodeSession(layer: layer, capacity: 40)
        _ = try session.prefill(rows(input, 0, 1))
        for t in 1..<40 {
            #expect(relativeDifference(try session.decode(rows(input, t, t + 1)), rows(expanded, t, t + 1)) <= 1e-4)
        }
    }

    @Test("An MLA cache holds r + d_r numbers per token, a GQA cache 2·kv·d_k")
    func cacheWidths() throws {
        let mla = AttentionConfig(dModel: 32, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 4)
        let gqa = AttentionConfig(dModel: 32, heads: 4, kvHeads: 2)
        #expect(DecodeSession.cacheBytes(config: mla, tokens: 10) == 10 * (12 + 4) * 4)
        #expect(DecodeSession.cacheBytes(config: gqa, tokens: 10) == 10 * 2 * 2 * 8 * 4)
        let storage = KVCacheStorage(config: mla, capacity: 3)
        #expect(storage.firstWidth == 12 && storage.secondWidth == 4)
    }

    @Test("A cache too large for the limit is refused with the bytes it would need, before allocating")
    func tooLargeCacheRefused() throws {
        let layer = try MultiHeadAttention(config: AttentionConfig(dModel: 32, heads: 4), seed: 0)
        let error = #expect(throws: AttentionError.self) { try DecodeSession(layer: layer, capacity: 1000, memoryLimit: 1000) }
        #expect(error?.message.contains("256000 bytes") == true)
    }

    @Test("Decoding past the capacity, or a token of the wrong width, is an error, not a crash")
    func fullCacheAndBadToken() throws {
        let layer = try MultiHeadAttention(config: AttentionConfig(dModel: 8, heads: 2), seed: 0)
        let session = try DecodeSession(layer: layer, capacity: 1)
        #expect(throws: AttentionError.self) { try session.decode(Tensor(zeros: [1, 7])) }
        _ = try session.decode(Tensor(zeros: [1, 8]))
        #expect(throws: AttentionError.self) { try session.decode(Tensor(zeros: [1, 8])) }
        #expect(throws: AttentionError.self) { try session.prefill(Tensor(zeros: [2, 8])) }
    }
}
