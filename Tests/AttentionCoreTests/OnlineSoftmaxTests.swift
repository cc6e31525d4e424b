import Foundation
import Testing
@testable import AttentionCore

/// Largest difference relative to the largest magnitude of `reference`.
private func relative(_ a: Tensor, _ reference: Tensor) -> Float {
    let scale = reference.storage.map(abs).max() ?? 1
    return (a.maxAbsDifference(reference) ?? .infinity) / max(scale, 1e-30)
}

@Suite("Blocked forward with online softmax")
struct OnlineSoftmaxTests {
    struct Case: Sendable, CustomStringConvertible {
        let config: AttentionConfig
        let tokens: Int
        let source: Int?
        let causal: Bool
        let padding: Bool
        var description: String { "\(config) T=\(tokens) S=\(source ?? tokens)\(causal ? " causal" : "")\(padding ? " padded" : "")" }
    }

    // the last two are longer than one key block (2,048), so the running max and sum are rescaled
    static let cases: [Case] = [
        Case(config: AttentionConfig(dModel: 16, heads: 2, kvHeads: 1), tokens: 40, source: 4500, causal: true, padding: true),
        Case(config: AttentionConfig(dModel: 16, heads: 2, headDim: 4, kvLoraRank: 6, ropeDim: 2), tokens: 2300, source: nil, causal: true, padding: false),
        Case(config: AttentionConfig(dModel: 32, heads: 4), tokens: 1100, source: nil, causal: false, padding: false),
        Case(config: AttentionConfig(dModel: 32, heads: 4, kvHeads: 2), tokens: 1100, source: nil, causal: true, padding: false),
        Case(config: AttentionConfig(dModel: 32, heads: 4, kvHeads: 1), tokens: 300, source: 1300, causal: true, padding: true),
        Case(config: AttentionConfig(dModel: 32, heads: 4, headDim: 8, kvLoraRank: 12, ropeDim: 4), tokens: 700, source: nil, causal: true, padding: true),
        Case(config: AttentionConfig(dModel: 16, heads: 2), tokens: 3, source: 5, causal: false, padding: false),
    ]

    @Test("forward (blocks of keys, online softmax) equals run (whole rows of scores, then softmax)", arguments: cases)
    func blockedEqualsUnblocked(c: Case) throws {
        let layer = try MultiHeadAttention(config: c.config, seed: 9)
        let input = Tensor.seededInput(tokens: c.tokens, width: c.config.dModel, seed: 9)
        let source = c.source.map { Tensor.seededInput(tokens: $0, width: c.config.dModel, seed: 9, name: "source") }
        let keys = c.source ?? c.tokens
        let mask = AttentionMask(causal: c.causal, keyAllowed: c.padding ? (0..<keys).map { $0 % 7 != 3 } : nil)
        let reference = try layer.run(input: input, source: source, mask: mask).output
        let blocked = try layer.forward(input: input, source: source, mask: mask)
        #expect(relative(blocked, reference) <= 1e-5)
    }

    @Test("Online softmax over tiny blocks of keys equals softmax over whole rows, under causal and padding masks")
    func tinyBlocks() {
        let m = 5, S = 37, dk = 3
        let q = (0..<(m * dk)).map { Float(($0 * 7) % 11) / 3 - 1.5 }
        let k = (0..<(S * dk)).map { Float(($0 * 5) % 13) / 2 - 3 }
        let v = (0..<(S * dk)).map { Float(($0 * 3) % 17) / 4 - 2 }
        let keep = (0..<S).map { Float($0 % 5 == 2 ? 0 : 1) }
        let allowed = { (a: Int) in S - m + a + 1 }
        var blocked = [Float](repeating: 0, count: m * dk)
        for keyBlock in [1, 4, 16, S] {
            q.withUnsafeBufferPointer { qp in k.withUnsafeBufferPointer { kp in v.withUnsafeBufferPointer { vp in
                keep.withUnsafeBufferPointer { kk in blocked.withUnsafeMutableBufferPointer { out in
                    // the C kernel's state carried from one call to the next, keyBlock keys a call
                    let acc = UnsafeMutablePointer<Float>.allocate(capacity: m * dk)
                    let mx = UnsafeMutablePointer<Float>.allocate(capacity: m), sm = UnsafeMutablePointer<Float>.allocate(capacity: m)
                    defer { acc.deallocate(); mx.deallocate(); sm.deallocate() }
                    Kernels.reset(m: m, dv: dk, acc: acc, ldacc: dk, rowMax: mx, rowSum: sm)
                    for s0 in stride(from: 0, to: S, by: keyBlock) {
                        let n = min(keyBlock, S - s0)
                        let prefix = (0..<m).map { Int32(max(0, min(n, allowed($0) - s0))) }
                        prefix.withUnsafeBufferPointer { pp in
                            var tile = AttentionTile(m: m, n: n, dq: dk, dv: dk, scale: 0.5, q: qp.baseAddress!, ldq: dk,
                                                     k: kp.baseAddress! + s0 * dk, ldk: dk, v: vp.baseAddress! + s0 * dk, ldv: dk,
                                                     acc: acc, ldacc: dk, rowMax: mx, rowSum: sm)
                            tile.allowed = pp.baseAddress
                            tile.keep = kk.baseAddress! + s0
                            Kernels.attend(tile)
                        }
                    }
                    Kernels.merge(parts: 1, m: m, dv: dk, acc: acc, partStride: m * dk, rowMax: mx, rowSum: sm, out: out.baseAddress!, ldout: dk)
                } }
            } } }
            // the reference in Double: whole rows, masked entries left out
            for a in 0..<m {
                var scores: [Double] = [], rows: [Int] = []
                for s in 0..<allowed(a) where keep[s] == 1 {
                    scores.append(0.5 * (0..<dk).reduce(0.0) { $0 + Double(q[a * dk + $1]) * Double(k[s * dk + $1]) })
                    rows.append(s)
                }
                let top = scores.max() ?? 0
                let e = scores.map { exp($0 - top) }, total = e.reduce(0, +)
                for c in 0..<dk {
                    let expected = zip(e, rows).reduce(0.0) { $0 + $1.0 / total * Double(v[$1.1 * dk + c]) }
                    #expect(abs(Double(blocked[a * dk + c]) - expected) < 1e-5, "block \(keyBlock) row \(a)")
                }
            }
        }
    }

    @Test("A query with no allowed key gets a zero head output in the blocked forward too")
    func fullyMaskedRow() throws {
        let config = AttentionConfig(dModel: 8, heads: 2)
        let layer = try MultiHeadAttention(config: config, seed: 1)
        let input = Tensor.seededInput(tokens: 4, width: 8, seed: 1)
        let mask = AttentionMask(causal: false, keyAllowed: [false, false, false, false])
        let out = try layer.forward(input: input, mask: mask)
        let bias = try #require(layer.weights["W_O"]?.bias)
        #expect(out.storage.allSatisfy { $0.isFinite })
        #expect(Array(out.storage[0..<8]) == bias.storage)
    }

    @Test("A padded key whose score would overflow exp gets weight exactly 0")
    func paddedOverflow() {
        let q: [Float] = [1], k: [Float] = [0, 1e30, -1, 2], v: [Float] = [1, 1000, 2, 3]
        let keep: [Float] = [1, 0, 1, 1]
        var out: [Float] = [0]
        q.withUnsafeBufferPointer { qp in k.withUnsafeBufferPointer { kp in v.withUnsafeBufferPointer { vp in
            keep.withUnsafeBufferPointer { kk in out.withUnsafeMutableBufferPointer { o in
                var acc: Float = 0, mx: Float = -.infinity, sm: Float = 0
                var tile = AttentionTile(m: 1, n: 4, dq: 1, dv: 1, scale: 1, q: qp.baseAddress!, ldq: 1, k: kp.baseAddress!, ldk: 1,
                                         v: vp.baseAddress!, ldv: 1, acc: &acc, ldacc: 1, rowMax: &mx, rowSum: &sm)
                tile.keep = kk.baseAddress
                Kernels.attend(tile)
                Kernels.merge(parts: 1, m: 1, dv: 1, acc: &acc, partStride: 1, rowMax: &mx, rowSum: &sm, out: o.baseAddress!, ldout: 1)
            } }
        } } }
        let e = [exp(-2.0), exp(-3.0), 1.0]
        #expect(abs(Double(out[0]) - (e[0] * 1 + e[1] * 2 + e[2] * 3) / e.reduce(0, +)) < 1e-5)
    }

    @Test("forward's memory estimate has no T·S term: 16 times the tokens is about 16 times the activations")
    func linearMemory() throws {
        let config = AttentionConfig(dModel: 4096, heads: 32)
        let weights = AttentionCost(config: config, tokens: 1).paramsPerLayer * 4
        let small = try #require(config.estimatedForwardBytes(tokens: 1024)) - weights
        let large = try #require(config.estimatedForwardBytes(tokens: 16384)) - weights
        #expect(Double(large) / Double(small) < 16.1)
        #expect((try? config.validateForward(tokens: 16384)) != nil)
        #expect((try? config.validate(tokens: 16384)) == nil)
    }
}
