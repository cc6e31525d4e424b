import Foundation
import Support

/// One layer generating text one token at a time, with its KV cache.
///
/// A decoder may keep every earlier token's keys and values because of the causal mask: a token's
/// key and value never change once later tokens arrive, so each step only computes the new token's
/// projections, appends them to the cache and attends over everything cached.
///
/// What the cache holds per token (fp32 here):
/// - MHA, GQA, MQA: keys and values, `2 · kv · d_k` numbers.
/// - MLA: only the latent `c_KV` (`r` numbers) and the shared rotary key (`d_r` numbers). Decoding
///   never rebuilds full keys or values: the key up-projection is absorbed into the query
///   (`q̃_i = q_i · W_UK,iᵀ`, so `q_i · k_i,s = q̃_i · c_s + q_i · b_UK,i`, and the last term is the same
///   for every key so softmax ignores it) and the value up-projection is applied once after the
///   weighted sum (`Σ_s w_s (c_s·W_UV,i + b_UV,i) = (Σ_s w_s c_s)·W_UV,i + b_UV,i`, since the weights sum
///   to 1). DeepSeek-V2 (2024), §2.1.
///
/// `prefill` runs a causal forward over a prompt and fills the cache; `decode` appends one token.
/// Tests prove that both give exactly the rows the causal `forward` gives, for every variant.
public final class DecodeSession {
    /// The layer's configuration.
    public let config: AttentionConfig
    /// The largest number of tokens the cache holds.
    public let capacity: Int
    /// Tokens cached so far.
    public private(set) var length = 0

    let weights: AttentionWeights
    let cache: KVCacheStorage

    /// A session for `layer` whose cache holds up to `capacity` tokens. Throws, before allocating, if
    /// `capacity` is not positive or the cache would need more than `memoryLimit` bytes.
    public convenience init(layer: MultiHeadAttention, capacity: Int, memoryLimit: Int = AttentionConfig.memoryLimitBytes) throws {
        try self.init(config: layer.config, weights: layer.weights, capacity: capacity, memoryLimit: memoryLimit)
    }

    init(config: AttentionConfig, weights: AttentionWeights, capacity: Int, memoryLimit: Int) throws {
        try config.validate()
        guard capacity >= 1 else { throw AttentionError("The cache must hold at least 1 token; got \(capacity).") }
        try DecodeSession.checkCache(config: config, tokens: capacity, memoryLimit: memoryLimit)
        self.config = config
        self.weights = weights
        self.capacity = capacity
        cache = KVCacheStorage(config: config, capacity: capacity)
    }

    /// Bytes of one layer's fp32 cache holding `tokens` tokens, or nil on overflow.
    public static func cacheBytes(config: AttentionConfig, tokens: Int) -> Int? {
        let values = AttentionCost(config: config, tokens: 1).kvCacheValuesPerTokenPerLayer
        let (n, o) = values.multipliedReportingOverflow(by: tokens)
        if o { return nil }
        let (bytes, o2) = n.multipliedReportingOverflow(by: 4)
        return o2 ? nil : bytes
    }

    /// Throws, saying how many bytes it would need, when a cache of `tokens` tokens would not fit.
    public static func checkCache(config: AttentionConfig, tokens: Int, memoryLimit: Int = AttentionConfig.memoryLimitBytes) throws {
        guard let bytes = cacheBytes(config: config, tokens: tokens) else {
            throw AttentionError("A KV cache of \(tokens) tokens for this layer is too large to even count; use a shorter context.")
        }
        if bytes > memoryLimit {
            throw AttentionError("A KV cache of \(tokens) tokens for this \(config.kind) layer needs \(bytes) bytes (\(formatBytes(bytes))) in fp32, more than the \(formatBytes(memoryLimit)) limit; use a shorter context.")
        }
    }

    /// Runs a causal forward over `input` `[T, d_model]` placed after the cached tokens, appends its
    /// keys and values (MLA: latent and rotary key) to the cache and returns the output `[T, d_model]`.
    public func prefill(_ input: Tensor) throws -> Tensor {
        guard input.rank == 2, input.shape[1] == config.dModel, input.shape[0] >= 1 else {
            throw AttentionError("Prefill takes [T, d_model] = [T, \(config.dModel)] with T ≥ 1; got \(input.shape).")
        }
        let t = input.shape[0]
        guard length + t <= capacity else {
            throw AttentionError("The cache holds \(capacity) tokens and has \(length); \(t) more do not fit.")
        }
        return input.storage.withUnsafeBufferPointer { step($0.baseAddress!, rows: t) }
    }

    /// Appends one token `[1, d_model]` (or `[d_model]`) and returns its output `[1, d_model]`.
    public func decode(_ token: Tensor) throws -> Tensor {
        guard token.count == config.dModel, token.rank == 1 || (token.rank == 2 && token.shape[0] == 1) else {
            throw AttentionError("Decode takes one token [1, d_model] = [1, \(config.dModel)]; got \(token.shape).")
        }
        guard length < capacity else {
            throw AttentionError("The cache is full (\(capacity) tokens); start a new session with a larger capacity.")
        }
        return token.storage.withUnsafeBufferPointer { step($0.baseAddress!, rows: 1) }
    }

    /// Projects `rows` new tokens, appends them to the cache, attends causally and projects out.
    private func step(_ x: UnsafePointer<Float>, rows t: Int) -> Tensor {
        let c = config, h = c.heads, dk = c.headDim, dr = c.ropeDim, d = c.dModel
        let p0 = length
        let q = Buffer(t * h * dk, zeroed: false)
        project(x, rows: t, "W_Q", q.pointer)
        var qRope: Buffer?
        if c.isLatent {
            project(x, rows: t, "W_DKV", cache.first.pointer + p0 * cache.firstWidth)
            if dr > 0 {
                let qr = Buffer(t * h * dr, zeroed: false)
                project(x, rows: t, "W_QR", qr.pointer)
                RoPE.apply(qr.pointer, rows: t, heads: h, width: dr, firstPosition: p0)
                qRope = qr
                let kr = cache.second.pointer + p0 * dr
                project(x, rows: t, "W_KR", kr)
                RoPE.apply(kr, rows: t, heads: 1, width: dr, firstPosition: p0)
            }
        } else {
            // project [t, kv·d_k], then place each K/V head's rows in its own contiguous stretch
            let kvWidth = c.kvHeads * dk
            let fresh = Buffer(t * kvWidth, zeroed: false)
            for (name, target) in [("W_K", cache.first), ("W_V", cache.second)] {
                project(x, rows: t, name, fresh.pointer)
                for j in 0..<c.kvHeads {
                    for row in 0..<t {
                        (target.pointer + (j * capacity + p0 + row) * dk).update(from: fresh.pointer + row * kvWidth + j * dk, count: dk)
                    }
                }
            }
        }
        length += t
        let concat = Buffer(t * h * dk, zeroed: false)
        DecodeKernel(config: c, weights: weights, cache: cache)
            .attend(q: q.pointer, qRope: qRope?.pointer, rows: t, keys: length, concat: concat.pointer)
        let out = Buffer(t * d, zeroed: false)
        project(concat.pointer, rows: t, "W_O", out.pointer)
        return out.tensor([t, d])
    }

    /// out[rows, W.out] = x·W + b.
    private func project(_ x: UnsafePointer<Float>, rows: Int, _ name: String, _ out: UnsafeMutablePointer<Float>) {
        guard let p = weights[name] else { return }
        DecodeKernel.linear(p, x, rows: rows, out)
    }
}

/// The cached numbers of one layer, fp32. MHA/GQA/MQA: keys and values head-major, `[kv, capacity, d_k]`
/// each, so one K/V head's cache is one contiguous stretch a decode step streams through (a
/// token-major `[capacity, kv·d_k]` layout touches a new memory page for every key and ran at a fifth
/// of the bandwidth). MLA: latent `[capacity, r]` and rotary keys `[capacity, d_r]`.
final class KVCacheStorage {
    let first: Buffer, second: Buffer
    let firstWidth: Int, secondWidth: Int
    let capacity: Int

    init(config c: AttentionConfig, capacity: Int) {
        self.capacity = capacity
        if c.isLatent {
            firstWidth = c.kvLoraRank
            secondWidth = c.ropeDim
        } else {
            firstWidth = c.kvHeads * c.headDim
            secondWidth = firstWidth
        }
        first = Buffer(capacity * firstWidth, zeroed: false)
        second = Buffer(capacity * secondWidth, zeroed: false)
    }

    /// Fills the whole cache with seeded values uniform in ±1 (for measuring a step over a cache of
    /// realistic size without computing a prompt's projections).
    func fillSeeded(seed: UInt64) {
        for (buffer, width, name) in [(first, firstWidth, "cache_first"), (second, secondWidth, "cache_second")] {
            let count = capacity * width
            let chunk = 1 << 20, chunks = (count + chunk - 1) / chunk
            let stream = SplitMix64.stream(seed, name)
            _ = Parallel.sum(chunks, parallel: chunks > 1) { index in
                let start = index * chunk, end = min(count, start + chunk)
                fillUniform(buffer.pointer + start, count: end - start, state: stream &+ UInt64(start) &* SplitMix64.gamma,
                            scale: 2 / Float(1 << 24), bound: 1)
                return 0
            }
        }
    }
}

/// The attention over a layer's cache: the one routine both `DecodeSession` and the cost lab's
/// measurement run, so what is timed is what the tests prove correct.
struct DecodeKernel {
    let config: AttentionConfig
    let weights: AttentionWeights
    let cache: KVCacheStorage

    /// y[rows, out] = x·W (+ b), rows split over the workers when large.
    static func linear(_ p: Linear, _ x: UnsafePointer<Float>, rows: Int, _ out: UnsafeMutablePointer<Float>) {
        let n = p.outputs, k = p.inputs
        if let bias = p.bias {
            bias.storage.withUnsafeBufferPointer { b in
                for row in 0..<rows { (out + row * n).update(from: b.baseAddress!, count: n) }
            }
        }
        p.weight.storage.withUnsafeBufferPointer { w in
            _ = Parallel.gemmRows(m: rows, n: n, k: k, x, lda: k, w.baseAddress!, ldb: n, beta: p.bias == nil ? 0 : 1, out, ldc: n)
        }
    }

    /// Attends `rows` queries, at positions `keys − rows ..< keys`, causally over the first `keys`
    /// cached tokens and writes the head outputs `[rows, h·d_k]` into `concat` (before `W_O`).
    ///
    /// `q` is `[rows, h·d_k]`; `qRope` (MLA with a rotary part) `[rows, h·d_r]`, already rotated.
    func attend(q: UnsafePointer<Float>, qRope: UnsafePointer<Float>?, rows: Int, keys: Int, concat: UnsafeMutablePointer<Float>) {
        if config.isLatent {
            attendLatent(q: q, qRope: qRope, rows: rows, keys: keys, concat: concat)
        } else {
            attendKeysValues(q: q, rows: rows, keys: keys, concat: concat)
        }
    }

    /// Units of work: (a group of query heads, a block of query rows), each reading one stretch of cache.
    private static func blocks(rows: Int, keys: Int) -> Int {
        let rowsPerBlock = max(1, (1 << 18) / max(keys, 1))
        return (rows + rowsPerBlock - 1) / rowsPerBlock
    }

    /// MHA/GQA/MQA. K/V head `j` serves query heads `j·g ..< (j+1)·g`; when decoding one token those
    /// heads' queries are consecutive rows of width `d_k`, so one product reads K_j once for the group.
    private func attendKeysValues(q: UnsafePointer<Float>, rows: Int, keys: Int, concat: UnsafeMutablePointer<Float>) {
        let h = config.heads, kv = config.kvHeads, dk = config.headDim, g = h / kv
        let scale = 1 / Float(dk).squareRoot()
        // K/V head j: rows j·capacity ..< j·capacity + keys of the head-major cache, row stride d_k
        let kP = UnsafePointer(cache.first.pointer), vP = UnsafePointer(cache.second.pointer)
        let headStride = cache.capacity * dk, width = dk
        if rows == 1 {
            // decode: group j = the g query heads sharing K/V head j, rows [g, d_k] of q; each cached
            // key and value row is read once for the whole group, the keys split over the workers
            let groups = (0..<kv).map { j in
                SplitDecode.Group(q: q + j * g * dk, ldq: dk, k: kP + j * headStride, ldk: width,
                                  v: vP + j * headStride, ldv: width, out: concat + j * g * dk, ldout: dk)
            }
            SplitDecode(m: g, dq: dk, dv: dk, keys: keys, scale: scale).run(groups)
            return
        }
        // prefill: unit = (K/V head j, a block of query rows); each query head of the group in turn
        let blocks = DecodeKernel.blocks(rows: rows, keys: keys)
        let parallel = h * rows * keys * dk * 2 >= Parallel.minimumWork
        _ = Parallel.sum(kv * blocks, parallel: parallel) { unit in
            let j = unit / blocks, block = unit % blocks
            let t0 = block * rows / blocks, t1 = (block + 1) * rows / blocks, m = t1 - t0
            if m == 0 { return 0 }
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: m * keys)
            defer { scores.deallocate() }
            for i in (j * g)..<((j + 1) * g) {
                gemm(.none, .transposed, m: m, n: keys, k: dk, alpha: scale, q + t0 * h * dk + i * dk, lda: h * dk,
                     kP + j * headStride, ldb: width, scores, ldc: keys)
                for t in t0..<t1 {
                    Softmax.row(scores + (t - t0) * keys, count: keys, allowed: keys - rows + t + 1, keep: nil)
                }
                gemm(.none, .none, m: m, n: dk, k: keys, scores, lda: keys, vP + j * headStride, ldb: width,
                     concat + t0 * h * dk + i * dk, ldc: h * dk)
            }
            return 0
        }
    }

    /// MLA with absorbed up-projections: scores against the cached latent, never against rebuilt keys.
    ///
    /// Per head `i`: `q̃_i = q_i · W_UK,iᵀ` `[rows, r]`; scores `= (q̃_i · Cᵀ + q_rope,i · K_ropeᵀ) / √(d_k + d_r)`;
    /// softmax (causal); `ctx_i = weights · C` `[rows, r]`; head output `= ctx_i · W_UV,i + b_UV,i`.
    /// Decoding one token, unit = a chunk of heads, whose absorbed queries are consecutive rows, so
    /// one product reads the latent cache once for the chunk (MLA decodes like MQA with head width r + d_r).
    private func attendLatent(q: UnsafePointer<Float>, qRope: UnsafePointer<Float>?, rows: Int, keys: Int, concat: UnsafeMutablePointer<Float>) {
        guard let upK = weights["W_UK"], let upV = weights["W_UV"] else { return }
        let h = config.heads, dk = config.headDim, r = config.kvLoraRank, dr = config.ropeDim
        let scale = 1 / Float(dk + dr).squareRoot()
        let cP = UnsafePointer(cache.first.pointer), krP = UnsafePointer(cache.second.pointer)
        if rows == 1 {
            decodeLatent(q: q, qRope: qRope, keys: keys, concat: concat, upK: upK, upV: upV)
            return
        }
        let single = rows == 1
        let chunks = single ? max(1, min(h, Parallel.workers)) : h * DecodeKernel.blocks(rows: rows, keys: keys)
        let parallel = h * rows * keys * (2 * r + dr) >= Parallel.minimumWork
        upK.weight.storage.withUnsafeBufferPointer { wukBuffer in
            upV.weight.storage.withUnsafeBufferPointer { wuvBuffer in
                let wuk = wukBuffer.baseAddress!, wuv = wuvBuffer.baseAddress!
                let bias = upV.bias
                _ = Parallel.sum(chunks, parallel: parallel) { unit in
                    // (heads i0..<i1, rows t0..<t1); one-token decode: m = heads as rows
                    let i0: Int, i1: Int, t0: Int, t1: Int
                    if single {
                        (i0, i1, t0, t1) = (unit * h / chunks, (unit + 1) * h / chunks, 0, 1)
                    } else {
                        let blocks = chunks / h, i = unit / blocks, block = unit % blocks
                        (i0, i1, t0, t1) = (i, i + 1, block * rows / blocks, (block + 1) * rows / blocks)
                    }
                    let heads = i1 - i0, m = single ? heads : t1 - t0
                    if heads == 0 || m == 0 { return 0 }
                    let absorbed = UnsafeMutablePointer<Float>.allocate(capacity: m * r)
                    let scores = UnsafeMutablePointer<Float>.allocate(capacity: m * keys)
                    let context = UnsafeMutablePointer<Float>.allocate(capacity: m * r)
                    defer { absorbed.deallocate(); scores.deallocate(); context.deallocate() }
                    // q̃ rows: single → row a is head i0 + a; block → row a is token t0 + a of head i0
                    for a in 0..<(single ? heads : 1) {
                        let i = i0 + a
                        let qRow = single ? q + i * dk : q + t0 * h * dk + i * dk
                        gemm(.none, .transposed, m: single ? 1 : m, n: r, k: dk, qRow, lda: h * dk,
                             wuk + i * dk, ldb: h * dk, absorbed + a * r, ldc: r)
                    }
                    gemm(.none, .transposed, m: m, n: keys, k: r, alpha: scale, absorbed, lda: r, cP, ldb: r, scores, ldc: keys)
                    if let qRope, dr > 0 {
                        let qr = single ? qRope + i0 * dr : qRope + t0 * h * dr + i0 * dr
                        gemm(.none, .transposed, m: m, n: keys, k: dr, alpha: scale, qr, lda: single ? dr : h * dr,
                             krP, ldb: dr, beta: 1, scores, ldc: keys)
                    }
                    for a in 0..<m {
                        let allowed = single ? keys : keys - rows + t0 + a + 1
                        Softmax.row(scores + a * keys, count: keys, allowed: allowed, keep: nil)
                    }
                    gemm(.none, .none, m: m, n: r, k: keys, scores, lda: keys, cP, ldb: r, context, ldc: r)
                    // head output = ctx · W_UV,i + b_UV,i, straight into concat's columns of head i
                    for a in 0..<(single ? heads : 1) {
                        let i = i0 + a
                        let out = single ? concat + i * dk : concat + t0 * h * dk + i * dk
                        let outRows = single ? 1 : m
                        if let bias {
                            bias.storage.withUnsafeBufferPointer { b in
                                for row in 0..<outRows { (out + row * h * dk).update(from: b.baseAddress! + i * dk, count: dk) }
                            }
                        }
                        gemm(.none, .none, m: outRows, n: dk, k: r, context + a * r, lda: r, wuv + i * dk, ldb: h * dk,
                             beta: bias == nil ? 0 : 1, out, ldc: h * dk)
                    }
                    return 0
                }
            }
        }
    }

    /// MLA, one decoded token: every head reads the one latent cache, so the heads are one group of
    /// h rows (MLA decodes like MQA with head width r + d_r), split over the cached sequence.
    ///
    ///   q̃ = q_i · W_UK,iᵀ for every head i                                [h, r]
    ///   ctx_i = softmax((q̃_i · Cᵀ + q_rope,i · K_ropeᵀ) / √(d_k + d_r)) · C  [h, r]
    ///   head_out_i = ctx_i · W_UV,i + b_UV,i                              [h, d_k] into concat
    private func decodeLatent(q: UnsafePointer<Float>, qRope: UnsafePointer<Float>?, keys: Int,
                              concat: UnsafeMutablePointer<Float>, upK: Linear, upV: Linear) {
        let h = config.heads, dk = config.headDim, r = config.kvLoraRank, dr = config.ropeDim
        let absorbed = Buffer(h * r, zeroed: false), context = Buffer(h * r, zeroed: false)
        let parallel = h * r * dk >= Parallel.minimumWork
        upK.weight.storage.withUnsafeBufferPointer { wuk in
            _ = Parallel.sum(h, parallel: parallel) { i in
                gemm(.none, .transposed, m: 1, n: r, k: dk, q + i * dk, lda: h * dk, wuk.baseAddress! + i * dk, ldb: h * dk,
                     absorbed.pointer + i * r, ldc: r)
            }
        }
        let cP = UnsafePointer(cache.first.pointer), krP = UnsafePointer(cache.second.pointer)
        var group = SplitDecode.Group(q: absorbed.pointer, ldq: r, k: cP, ldk: r, v: cP, ldv: r, out: context.pointer, ldout: r)
        if let qRope, dr > 0 { group.rope = (q: qRope, ldq: dr, k: krP, ldk: dr, width: dr) }
        SplitDecode(m: h, dq: r, dv: r, keys: keys, scale: 1 / Float(dk + dr).squareRoot()).run([group])
        upV.weight.storage.withUnsafeBufferPointer { wuv in
            _ = Parallel.sum(h, parallel: parallel) { i in
                let out = concat + i * dk
                if let bias = upV.bias {
                    bias.storage.withUnsafeBufferPointer { out.update(from: $0.baseAddress! + i * dk, count: dk) }
                }
                return gemm(.none, .none, m: 1, n: dk, k: r, context.pointer + i * r, lda: r, wuv.baseAddress! + i * dk, ldb: h * dk,
                            beta: upV.bias == nil ? 0 : 1, out, ldc: h * dk)
            }
        }
    }
}
