import Foundation
import Support

/// One multi-head attention layer. Every variant is a configuration of this one layer:
/// MHA (`kv = h`), GQA (`kv` divides `h`), MQA (`kv = 1`), an explicit `d_k ≠ d_model / h`,
/// cross-attention (pass a `source`), and MLA (`kvLoraRank > 0`).
///
/// Dimensions, named once: `T` queries, `S` keys/values, `d_model`, `h` query heads, `kv` K/V heads,
/// `g = h / kv`, `d_k` head width, `r` latent width, `d_r` rotary width. Query head `i` reads K/V head
/// `i / g` (consecutive query heads share a K/V head, as Llama's `repeat_kv` does).
public final class MultiHeadAttention: Sendable {
    /// The configuration.
    public let config: AttentionConfig
    /// The learned projections.
    public let weights: AttentionWeights

    /// A layer with seeded weights (see `AttentionWeights.seeded`); throws if `config` is invalid or
    /// its weights would not fit in memory, before allocating them.
    public init(config: AttentionConfig, seed: UInt64) throws {
        try config.validate()
        self.config = config
        self.weights = AttentionWeights.seeded(config: config, seed: seed)
    }

    /// A layer with the given weights (layout `[in, out]`, `y = x·W + b`); throws if `config` is
    /// invalid or a weight is missing or has the wrong shape.
    public init(config: AttentionConfig, weights: AttentionWeights) throws {
        try config.validate()
        try weights.check(against: config)
        self.config = config
        self.weights = weights
    }

    /// Validates `config` for `tokens` (and `sourceTokens` for cross-attention) before allocating
    /// anything, builds a seeded layer, runs it on seeded inputs and returns the recorded run.
    ///
    /// The input is the stream `input` of `seed`, the source (when `sourceTokens` is given) the stream
    /// `source`; both uniform in ±√3. With `record: false` the layer runs `tracedForward` (trace,
    /// counts and output only), for sizes too large to record every tensor.
    public static func seededRun(config: AttentionConfig, tokens: Int, sourceTokens: Int? = nil,
                                 causal: Bool = false, seed: UInt64 = 0, record: Bool = true) throws -> AttentionRun {
        if record {
            try config.validate(tokens: tokens, sourceTokens: sourceTokens)
        } else {
            try config.validate(tokens: tokens, sourceTokens: sourceTokens, memoryLimit: Int.max)
            try config.validateForward(tokens: tokens, sourceTokens: sourceTokens)
        }
        let layer = try MultiHeadAttention(config: config, seed: seed)
        let input = Tensor.seededInput(tokens: tokens, width: config.dModel, seed: seed, name: "input")
        let source = sourceTokens.map { Tensor.seededInput(tokens: $0, width: config.dModel, seed: seed, name: "source") }
        let mask = AttentionMask(causal: causal)
        return record ? try layer.run(input: input, source: source, mask: mask)
                      : try layer.tracedForward(input: input, source: source, mask: mask)
    }

    /// Runs the layer and records every intermediate tensor, the trace and the multiply-adds.
    ///
    /// `input` is `[T, d_model]`; `source` (cross-attention) is `[S, d_model]`, default `input`.
    public func run(input: Tensor, source: Tensor? = nil, mask: AttentionMask = .none) throws -> AttentionRun {
        try checkInputs(input, source, mask)
        var work = Work(layer: self, input: input, source: source, mask: mask, record: true)
        work.compute()
        return work.finish()
    }

    /// Runs the layer and returns only its output `[T, d_model]`: the same computation as `run`
    /// without keeping intermediate tensors (the fast path the benchmark measures).
    ///
    /// Attention is computed in tiles with an online softmax (the C kernel, see `AttentionTile`), so the
    /// `[h, T, S]` scores never exist and memory grows linearly with the sequence: the limit is
    /// checked against `AttentionConfig.estimatedForwardBytes`, not the recorded run's estimate.
    public func forward(input: Tensor, source: Tensor? = nil, mask: AttentionMask = .none) throws -> Tensor {
        try checkInputs(input, source, mask, recording: false)
        var work = Work(layer: self, input: input, source: source, mask: mask, record: false)
        work.compute()
        return work.outputTensor()
    }

    /// Runs the layer like `forward` (blocked, nothing kept) but returns an `AttentionRun` with the
    /// trace, the multiply-adds and the output; its intermediate tensors (q, k, v, scores, weights, …)
    /// are empty `[0]`. For sizes too large to record every tensor (`run` refuses them).
    public func tracedForward(input: Tensor, source: Tensor? = nil, mask: AttentionMask = .none) throws -> AttentionRun {
        try checkInputs(input, source, mask, recording: false)
        var work = Work(layer: self, input: input, source: source, mask: mask, record: false)
        work.compute()
        return work.finish()
    }

    private func checkInputs(_ input: Tensor, _ source: Tensor?, _ mask: AttentionMask, recording: Bool = true) throws {
        let d = config.dModel
        guard input.rank == 2, input.shape[1] == d, input.shape[0] >= 1 else {
            throw AttentionError("The input must be [T, d_model] = [T, \(d)] with T ≥ 1; got \(input.shape).")
        }
        if let source {
            guard source.rank == 2, source.shape[1] == d, source.shape[0] >= 1 else {
                throw AttentionError("The source must be [S, d_model] = [S, \(d)] with S ≥ 1; got \(source.shape).")
            }
        }
        let s = source?.shape[0] ?? input.shape[0]
        if let allowed = mask.keyAllowed, allowed.count != s {
            throw AttentionError("The padding mask has \(allowed.count) flags but there are \(s) key tokens.")
        }
        if recording {
            try config.validate(tokens: input.shape[0], sourceTokens: s)
        } else {
            try config.validate(tokens: input.shape[0], sourceTokens: s, memoryLimit: Int.max)
            try config.validateForward(tokens: input.shape[0], sourceTokens: s)
        }
    }
}

extension AttentionConfig {
    /// Bytes of fp32 weights plus what `forward` holds at once, or nil on overflow: input and source,
    /// q (reused for nothing else), k and v (and the latent and rotary parts), concat and output, and
    /// per worker one tile's scratch and online-softmax state. No `[h, T, S]` term: memory
    /// grows linearly with the sequence.
    public func estimatedForwardBytes(tokens: Int, sourceTokens: Int? = nil) -> Int? {
        let s = sourceTokens ?? tokens
        let terms: [[Int]] = [
            [tokens, dModel], [s, dModel],                                   // input, source
            [tokens, queryWidth + heads * ropeDim],                          // q (+ q_rope)
            [2, s, keyValueWidth + ropeDim], [s, kvLoraRank],                // k, v (+ k_rope), latent
            [2, tokens, queryWidth], [tokens, dModel],                       // concat, output and its copy
            [tokens, dModel],
            [16, Kernels.scratchCount(m: Work.tileRows, dq: headDim, ropeWidth: ropeDim, dv: headDim)
                 + Work.tileRows * (headDim + 2)],                          // per-worker tile scratch and state
        ]
        var floats = AttentionCost(config: self, tokens: tokens, sourceTokens: s).paramsPerLayer
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

    /// Throws when `forward` over `tokens` would need more than `memoryLimit` bytes.
    public func validateForward(tokens: Int, sourceTokens: Int? = nil, memoryLimit: Int = AttentionConfig.memoryLimitBytes) throws {
        guard let bytes = estimatedForwardBytes(tokens: tokens, sourceTokens: sourceTokens) else {
            throw AttentionError("This configuration is too large to even count its memory; it would not fit in any machine.")
        }
        if bytes > memoryLimit {
            throw AttentionError("Running this layer over \(tokens) tokens would need about \(formatBytes(bytes)) for weights and activations even without recording them, more than the \(formatBytes(memoryLimit)) limit; use fewer tokens or a smaller layer, or raise the memory budget with MHALEARN_MEMORY_BUDGET (for example 16G).")
        }
    }
}

/// A float buffer the run owns; tensors are copied out of it at the end.
final class Buffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    /// Whether this buffer allocated `pointer` (and frees it).
    let owned: Bool

    /// A buffer of `count` floats, zeroed unless the caller will overwrite every element.
    init(_ count: Int, zeroed: Bool = true) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        if zeroed { pointer.initialize(repeating: 0, count: max(count, 1)) }
        owned = true
    }

    /// A view of `count` floats someone else owns (and keeps alive longer than this buffer).
    init(borrowing pointer: UnsafeMutablePointer<Float>, count: Int) {
        self.pointer = pointer
        self.count = count
        owned = false
    }

    deinit { if owned { pointer.deallocate() } }

    func tensor(_ shape: [Int]) -> Tensor {
        Tensor(unchecked: shape, Array(UnsafeBufferPointer(start: pointer, count: count)))
    }
}

/// The state of one forward pass: buffers, trace and counters.
struct Work {
    let layer: MultiHeadAttention
    let config: AttentionConfig
    let input: Tensor
    let source: Tensor
    let isCross: Bool
    let mask: AttentionMask
    let record: Bool

    // Dimensions, named once.
    let T: Int, S: Int, d: Int, h: Int, kv: Int, dk: Int, g: Int, r: Int, dr: Int

    var trace = ShapeTrace()
    var macs: [String: Int] = [:]
    var kept: [String: Tensor] = [:]
    var outputStorage: [Float]?
    var weightsTensor: Tensor?

    init(layer: MultiHeadAttention, input: Tensor, source: Tensor?, mask: AttentionMask, record: Bool) {
        self.layer = layer
        config = layer.config
        self.input = input
        self.source = source ?? input
        isCross = source != nil
        self.mask = mask
        self.record = record
        T = input.shape[0]; S = self.source.shape[0]; d = config.dModel
        h = config.heads; dk = config.headDim; r = config.kvLoraRank; dr = config.ropeDim
        kv = config.isLatent ? config.heads : config.kvHeads
        g = h / kv
    }

    /// One projection to run: `out[rows, W.out] = x[rows, W.in]·W + b`, counted under `step`.
    struct Job {
        let step: String
        let x: UnsafePointer<Float>
        let rows: Int
        let weight: String
        let out: Buffer
    }

    /// out[rows, p.out] = x[rows, p.in] · W + b, counted under `step`.
    mutating func project(_ step: String, _ x: UnsafePointer<Float>, rows: Int, _ name: String, _ out: Buffer) {
        project([Job(step: step, x: x, rows: rows, weight: name, out: out)])
    }

    /// Runs independent projections together: each is split into row blocks, and all blocks of all
    /// projections share one parallel phase (one synchronisation for q, k and v together).
    mutating func project(_ jobs: [Job]) {
        BLASThreads.configure()
        let linears = jobs.map { layer.weights[$0.weight] }
        let work = zip(jobs, linears).reduce(0) { $0 + $1.0.rows * ($1.1?.params ?? 0) }
        let parallel = work >= Parallel.minimumWork && BLASThreads.count == 1
        let blocks = parallel ? Parallel.workers : 1
        var issued = [Int](repeating: 0, count: jobs.count * blocks)
        issued.withUnsafeMutableBufferPointer { counts in
            let counts = counts
            let body = { (unit: Int) in
                let job = jobs[unit / blocks], block = unit % blocks
                guard let p = linears[unit / blocks] else { return }
                let n = p.outputs, k = p.inputs
                let start = block * job.rows / blocks, end = (block + 1) * job.rows / blocks
                if let bias = p.bias {
                    // start every row at b, then accumulate x·W on top (beta = 1)
                    bias.storage.withUnsafeBufferPointer { b in
                        for row in start..<end { (job.out.pointer + row * n).update(from: b.baseAddress!, count: n) }
                    }
                }
                counts[unit] = p.weight.storage.withUnsafeBufferPointer { w in
                    gemm(.none, .none, m: end - start, n: n, k: k, job.x + start * k, lda: k, w.baseAddress!, ldb: n,
                         beta: p.bias == nil ? 0 : 1, job.out.pointer + start * n, ldc: n)
                }
            }
            _ = Parallel.sum(jobs.count * blocks, parallel: parallel) { body($0); return 0 }
        }
        for (index, job) in jobs.enumerated() {
            macs[job.step, default: 0] += issued[(index * blocks)..<((index + 1) * blocks)].reduce(0, +)
        }
    }

    mutating func keep(_ name: String, _ buffer: Buffer, _ shape: [Int]) {
        if record { kept[name] = buffer.tensor(shape) }
    }

    mutating func compute() {
        input.storage.withUnsafeBufferPointer { xBuffer in
            source.storage.withUnsafeBufferPointer { srcBuffer in
                compute(x: xBuffer.baseAddress!, src: srcBuffer.baseAddress!)
            }
        }
    }

    /// The forward pass, one step function each (nanoGPT's `CausalSelfAttention`):
    /// project → split heads → attend → merge heads → project out.
    private mutating func compute(x: UnsafePointer<Float>, src: UnsafePointer<Float>) {
        trace.record("input", [T, d], "[T, d_model]", "x")
        if isCross { trace.record("source", [S, d], "[S, d_model]", "source sequence (keys and values)") }
        let p = config.isLatent ? projectLatent(x: x, src: src) : projectKeysValues(x: x, src: src)
        splitHeads(p)
        let concat = attend(p)
        mergeHeads(concat)
        projectOut(concat)
    }

    /// What the projections produced: q, k, v, and for MLA the latent and the rotary parts.
    struct Projected {
        let q: Buffer, k: Buffer, v: Buffer
        var qRope: Buffer? = nil, kRope: Buffer? = nil
    }

    /// " + b_NAME" when the layer has biases.
    private func bias(_ name: String) -> String { config.bias ? " + b_\(name)" : "" }

    /// MHA/GQA/MQA, one parallel phase for all three projections:
    ///   q = x·W_Q + b_Q                                                  [T, h·d_k]
    ///   k = source·W_K + b_K, v = source·W_V + b_V                       [S, kv·d_k]
    private mutating func projectKeysValues(x: UnsafePointer<Float>, src: UnsafePointer<Float>) -> Projected {
        let p = Projected(q: Buffer(T * h * dk, zeroed: false), k: Buffer(S * kv * dk, zeroed: false), v: Buffer(S * kv * dk, zeroed: false))
        project([Job(step: "q", x: x, rows: T, weight: "W_Q", out: p.q),
                 Job(step: "k", x: src, rows: S, weight: "W_K", out: p.k),
                 Job(step: "v", x: src, rows: S, weight: "W_V", out: p.v)])
        let from = isCross ? "source" : "x"
        trace.record("q", [T, h * dk], "[T, h·d_k]", "x·W_Q\(bias("Q"))")
        trace.record("k", [S, kv * dk], "[S, kv·d_k]", "\(from)·W_K\(bias("K"))")
        trace.record("v", [S, kv * dk], "[S, kv·d_k]", "\(from)·W_V\(bias("V"))")
        keepProjections(p)
        return p
    }

    /// MLA: one parallel phase for everything read straight from x or the source, then the per-head
    /// expansion of the latent:
    ///   q = x·W_Q + b_Q                                                  [T, h·d_k]
    ///   q_rope = x·W_QR (+ b), RoPE per head                             [T, h·d_r]
    ///   latent c_KV = source·W_DKV (+ b)                                 [S, r]
    ///   k_rope = source·W_KR (+ b), RoPE, one for all heads              [S, d_r]
    ///   k = c_KV·W_UK (+ b), v = c_KV·W_UV (+ b)                         [S, h·d_k]
    private mutating func projectLatent(x: UnsafePointer<Float>, src: UnsafePointer<Float>) -> Projected {
        let q = Buffer(T * h * dk, zeroed: false), c = Buffer(S * r, zeroed: false)
        var jobs = [Job(step: "q", x: x, rows: T, weight: "W_Q", out: q), Job(step: "latent", x: src, rows: S, weight: "W_DKV", out: c)]
        var qRope: Buffer?, kRope: Buffer?
        if dr > 0 {
            let qr = Buffer(T * h * dr, zeroed: false), kr = Buffer(S * dr, zeroed: false)
            jobs += [Job(step: "q_rope", x: x, rows: T, weight: "W_QR", out: qr), Job(step: "k_rope", x: src, rows: S, weight: "W_KR", out: kr)]
            (qRope, kRope) = (qr, kr)
        }
        project(jobs)
        let p = Projected(q: q, k: Buffer(S * h * dk, zeroed: false), v: Buffer(S * h * dk, zeroed: false), qRope: qRope, kRope: kRope)
        project([Job(step: "k", x: c.pointer, rows: S, weight: "W_UK", out: p.k), Job(step: "v", x: c.pointer, rows: S, weight: "W_UV", out: p.v)])
        trace.record("q", [T, h * dk], "[T, h·d_k]", "x·W_Q\(bias("Q"))")
        if let qRope {
            RoPE.apply(qRope.pointer, rows: T, heads: h, width: dr, firstPosition: S - T)
            trace.record("q_rope", [T, h * dr], "[T, h·d_r]", "RoPE(x·W_QR\(bias("QR")))")
            keep("q_rope", qRope, [T, h * dr])
        }
        trace.record("latent", [S, r], "[S, r]", "source·W_DKV\(bias("DKV"))")
        keep("latent", c, [S, r])
        trace.record("k", [S, h * dk], "[S, h·d_k]", "latent·W_UK\(bias("UK"))")
        trace.record("v", [S, h * dk], "[S, h·d_k]", "latent·W_UV\(bias("UV"))")
        if let kRope {
            RoPE.apply(kRope.pointer, rows: S, heads: 1, width: dr, firstPosition: 0)
            trace.record("k_rope", [S, dr], "[S, d_r]", "RoPE(source·W_KR\(bias("KR")))")
            keep("k_rope", kRope, [S, dr])
        }
        keepProjections(p)
        return p
    }

    private mutating func keepProjections(_ p: Projected) {
        keep("q", p.q, [T, h * dk])
        keep("k", p.k, [S, kv * dk])
        keep("v", p.v, [S, kv * dk])
    }

    /// Split into heads: head i is columns i·d_k ..< (i+1)·d_k, read in place through the leading
    /// dimension (no copy on the fast path)                             [h, T, d_k], [kv, S, d_k]
    private mutating func splitHeads(_ p: Projected) {
        let qSymbols = dr > 0 ? "[h, T, d_k+d_r]" : "[h, T, d_k]"
        let kSymbols = dr > 0 ? "[h, S, d_k+d_r]" : "[kv, S, d_k]"
        trace.record("q_heads", [h, T, dk + dr], qSymbols, dr > 0 ? "split q and q_rope into h heads, side by side" : "split q into h heads")
        trace.record("k_heads", [kv, S, dk + dr], kSymbols, g > 1 ? "split k; each head serves g = \(g)"
                     : dr > 0 ? "split k into heads, shared k_rope beside each" : "split k into heads")
        trace.record("v_heads", [kv, S, dk], config.isLatent ? "[h, S, d_k]" : "[kv, S, d_k]", "split v into heads")
        if record {
            kept["q_heads"] = splitHeads([(p.q.pointer, h * dk, dk), (p.qRope?.pointer, h * dr, dr)], heads: h, rows: T, sharedLast: false)
            kept["k_heads"] = splitHeads([(p.k.pointer, kv * dk, dk), (p.kRope?.pointer, dr, dr)], heads: kv, rows: S, sharedLast: true)
            kept["v_heads"] = splitHeads([(p.v.pointer, kv * dk, dk)], heads: kv, rows: S, sharedLast: false)
        }
    }

    /// Per head i (K/V head j = i / g), for a block of query rows, in parallel over (head, block):
    ///   scores_i = q_i · k_jᵀ / √(d_k + d_r)                              [rows, S] of [h, T, S]
    ///   weights_i = softmax(scores_i) with the mask                       [rows, S]
    ///   head_out_i = weights_i · v_j, written straight into concat's
    ///   columns i·d_k ..< (i+1)·d_k                                       [rows, d_k] of [T, h·d_k]
    /// `forward` walks the keys in tiles with an online softmax (`attendTiled`: only a tile of scores
    /// exists at a time); `run` writes every block into the full [h, T, S] scores and weights it keeps.
    private mutating func attend(_ p: Projected) -> Buffer {
        let (issuedScores, issuedSums, concat) = record ? attendRecorded(p) : attendTiled(p)
        macs["scores", default: 0] += issuedScores
        macs["head_outputs", default: 0] += issuedSums
        trace.record("scores", [h, T, S], "[h, T, S]", "q_i·k_jᵀ / √\(dk + dr)")
        trace.record("weights", [h, T, S], "[h, T, S]", mask.causal || mask.keyAllowed != nil ? "softmax(masked scores)" : "softmax(scores)")
        trace.record("head_outputs", [h, T, dk], "[h, T, d_k]", "weights_i·v_j")
        if record {
            kept["head_outputs"] = splitHeads([(concat.pointer, h * dk, dk)], heads: h, rows: T, sharedLast: false)
        }
        return concat
    }

    /// Query rows per tile of the forward pass: the tile's queries, its block of keys and values and
    /// its scores fit the L2 cache together (64 rows × d_k 64: 16 KiB of queries, 32 KiB of keys).
    static let tileRows = 64

    /// forward: unit = (head i, a tile of ≤ 64 query rows) against every allowed key, in the C
    /// kernel's online-softmax tiles of 128 keys. Each unit reads only its own q rows and columns and
    /// writes its head output there after its last read, so concat takes q's place.
    private func attendTiled(_ p: Projected) -> (Int, Int, Buffer) {
        let (T, S, h, kv, dk, dr, g, mask) = (T, S, h, kv, dk, dr, g, mask)
        let tiles = (T + Work.tileRows - 1) / Work.tileRows
        let blocksPerHead = min(T, max(tiles, (2 * Parallel.workers + h - 1) / h))
        let scale = 1 / Float(dk + dr).squareRoot()
        let (qP, kP, vP, qRopeP, kRopeP) = (p.q.pointer, UnsafePointer(p.k.pointer), UnsafePointer(p.v.pointer), p.qRope?.pointer, p.kRope?.pointer)
        let keepFlags: [Float]? = mask.keyAllowed.map { $0.map { $0 ? 1 : 0 } }
        let parallel = h * T * S * (2 * dk + dr) >= Parallel.minimumWork
        let (scores, sums) = keepFlags.withUnsafeBufferPointerIfPresent { keep in
            Parallel.pairSum(h * blocksPerHead, parallel: parallel) { unit in
                let i = unit / blocksPerHead, block = unit % blocksPerHead, j = i / g
                let t0 = block * T / blocksPerHead, t1 = (block + 1) * T / blocksPerHead, rows = t1 - t0
                if rows == 0 { return (0, 0) }
                let allowed = (t0..<t1).map { Int32(mask.allowedPrefix(query: $0, queries: T, keys: S)) }
                let keys = Int(allowed.max() ?? 0)
                let state = UnsafeMutablePointer<Float>.allocate(capacity: rows * (dk + 2))
                defer { state.deallocate() }
                let (acc, rowMax, rowSum) = (state, state + rows * dk, state + rows * (dk + 1))
                Kernels.reset(m: rows, dv: dk, acc: acc, ldacc: dk, rowMax: rowMax, rowSum: rowSum)
                allowed.withUnsafeBufferPointer { allowed in
                    var tile = AttentionTile(m: rows, n: S, dq: dk, dv: dk, scale: scale, q: qP + t0 * h * dk + i * dk, ldq: h * dk,
                                             k: kP + j * dk, ldk: kv * dk, v: vP + j * dk, ldv: kv * dk,
                                             acc: acc, ldacc: dk, rowMax: rowMax, rowSum: rowSum)
                    tile.allowed = mask.causal ? allowed.baseAddress : nil
                    tile.keep = keep
                    if let qRopeP, let kRopeP {
                        let offset: Int = t0 * h * dr + i * dr
                        let qr = UnsafePointer<Float>(qRopeP + offset), kr = UnsafePointer<Float>(kRopeP)
                        tile.rope = (q: qr, ldq: h * dr, k: kr, ldk: dr, width: dr)
                    }
                    Kernels.attend(tile)
                }
                // normalise (a row with no allowed key stays zeros) straight into concat = q's slice
                Kernels.merge(parts: 1, m: rows, dv: dk, acc: acc, partStride: rows * dk, rowMax: rowMax, rowSum: rowSum,
                              out: qP + t0 * h * dk + i * dk, ldout: h * dk)
                return (rows * keys * (dk + dr), rows * keys * dk)
            }
        }
        return (scores, sums, p.q)
    }

    /// run: unit = (head i, a block of query rows against all S keys, ~2²⁰ scores), through BLAS,
    /// writing scores and weights straight into the arrays the run keeps (no extra copy).
    private mutating func attendRecorded(_ p: Projected) -> (Int, Int, Buffer) {
        let concat = Buffer(T * h * dk, zeroed: false)
        let rowsPerBlock = max(16, (1 << 20) / S)
        let blocksPerHead = min(T, max((2 * Parallel.workers + h - 1) / h, (T + rowsPerBlock - 1) / rowsPerBlock))
        let parallel = h * T * S * (2 * dk + dr) >= Parallel.minimumWork
        let scale = 1 / Float(dk + dr).squareRoot()
        let keepFlags: [Float]? = mask.keyAllowed.map { $0.map { $0 ? 1 : 0 } }
        let (T, S, h, kv, dk, dr, g, mask) = (T, S, h, kv, dk, dr, g, mask)
        let (qP, kP, vP, qRopeP, kRopeP, concatP) = (p.q.pointer, p.k.pointer, p.v.pointer, p.qRope?.pointer, p.kRope?.pointer, concat.pointer)
        let count = h * T * S
        var issued = (0, 0)
        var scores: [Float] = []
        let weights = [Float](unsafeUninitializedCapacity: count) { weightBuffer, weightCount in
            scores = [Float](unsafeUninitializedCapacity: count) { scoreBuffer, scoreCount in
                let (attP, recP) = (weightBuffer.baseAddress!, scoreBuffer.baseAddress!)
                issued = keepFlags.withUnsafeBufferPointerIfPresent { keep in
                    Parallel.pairSum(h * blocksPerHead, parallel: parallel) { unit in
                        let i = unit / blocksPerHead, block = unit % blocksPerHead, j = i / g
                        let t0 = block * T / blocksPerHead, t1 = (block + 1) * T / blocksPerHead, rows = t1 - t0
                        if rows == 0 { return (0, 0) }
                        let scores = attP + i * T * S + t0 * S
                        var scoreMacs = gemm(.none, .transposed, m: rows, n: S, k: dk, alpha: scale,
                                             qP + t0 * h * dk + i * dk, lda: h * dk, kP + j * dk, ldb: kv * dk, scores, ldc: S)
                        if let qRopeP, let kRopeP {
                            // MLA: add the rotary part q_rope_i · k_ropeᵀ (one k_rope shared by every head)
                            scoreMacs += gemm(.none, .transposed, m: rows, n: S, k: dr, alpha: scale,
                                              qRopeP + t0 * h * dr + i * dr, lda: h * dr, kRopeP, ldb: dr, beta: 1, scores, ldc: S)
                        }
                        (recP + i * T * S + t0 * S).update(from: scores, count: rows * S)
                        for t in t0..<t1 {
                            Softmax.row(scores + (t - t0) * S, count: S, allowed: mask.allowedPrefix(query: t, queries: T, keys: S), keep: keep)
                        }
                        let sumMacs = gemm(.none, .none, m: rows, n: dk, k: S, scores, lda: S,
                                           vP + j * dk, ldb: kv * dk, concatP + t0 * h * dk + i * dk, ldc: h * dk)
                        return (scoreMacs, sumMacs)
                    }
                }
                scoreCount = count
            }
            weightCount = count
        }
        kept["scores"] = Tensor(unchecked: [h, T, S], scores)
        weightsTensor = Tensor(unchecked: [h, T, S], weights)
        return (issued.0, issued.1, concat)
    }

    /// Merge the heads: concat = [head_out_0 … head_out_{h-1}]              [T, h·d_k]
    private mutating func mergeHeads(_ concat: Buffer) {
        trace.record("concat", [T, h * dk], "[T, h·d_k]", "heads side by side")
        keep("concat", concat, [T, h * dk])
    }

    /// Project back: output = concat·W_O + b_O                             [T, d_model]
    /// straight into the array the returned tensor keeps (no copy).
    private mutating func projectOut(_ concat: Buffer) {
        let count = T * d
        outputStorage = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            project("output", concat.pointer, rows: T, "W_O", Buffer(borrowing: buffer.baseAddress!, count: count))
            initialized = count
        }
        trace.record("output", [T, d], "[T, d_model]", "concat·W_O\(bias("O"))")
    }

    /// Copies column blocks of row-major matrices into a `[heads, rows, Σ width]` tensor. Each part is
    /// (base, row stride, width per head); with `sharedLast`, the last part is the same for every head.
    private func splitHeads(_ parts: [(UnsafeMutablePointer<Float>?, Int, Int)], heads: Int, rows: Int, sharedLast: Bool) -> Tensor {
        let present = parts.filter { $0.0 != nil && $0.2 > 0 }
        let width = present.reduce(0) { $0 + $1.2 }
        var out = [Float](repeating: 0, count: heads * rows * width)
        out.withUnsafeMutableBufferPointer { o in
            for head in 0..<heads {
                for row in 0..<rows {
                    var column = 0
                    for (index, part) in present.enumerated() {
                        let (base, stride, w) = part
                        let shared = sharedLast && index == present.count - 1 && index > 0
                        let source = base! + row * stride + (shared ? 0 : head * w)
                        (o.baseAddress! + (head * rows + row) * width + column).update(from: source, count: w)
                        column += w
                    }
                }
            }
        }
        return Tensor(unchecked: [heads, rows, width], out)
    }

    func outputTensor() -> Tensor {
        outputStorage.map { Tensor(unchecked: [T, d], $0) } ?? Tensor(zeros: [T, d])
    }

    func finish() -> AttentionRun {
        let axes = Dictionary(trace.steps.map { ($0.name, $0.axes) }, uniquingKeysWith: { first, _ in first })
        func named(_ t: Tensor, _ name: String) -> Tensor { axes[name].map { t.named($0) } ?? t }
        let out = named(outputTensor(), "output")
        func tensor(_ name: String) -> Tensor { named(kept[name] ?? Tensor(zeros: [0]), name) }
        func optional(_ name: String) -> Tensor? { kept[name].map { named($0, name) } }
        return AttentionRun(
            config: config, mask: mask, tokens: T, sourceTokens: S, isCross: isCross,
            input: named(input, "input"), source: named(source, isCross ? "source" : "input"), q: tensor("q"), k: tensor("k"), v: tensor("v"),
            latent: optional("latent"), qRope: optional("q_rope"), kRope: optional("k_rope"),
            qHeads: tensor("q_heads"), kHeads: tensor("k_heads"), vHeads: tensor("v_heads"),
            scores: tensor("scores"), weights: named(weightsTensor ?? Tensor(zeros: [0]), "weights"),
            headOutputs: tensor("head_outputs"), concat: tensor("concat"), output: out,
            trace: trace, cost: AttentionCost(config: config, tokens: T, sourceTokens: S),
            performedMultiplyAdds: macs)
    }
}

extension Optional where Wrapped == [Float] {
    /// Calls `body` with a pointer to the array's elements, or nil when there is no array.
    func withUnsafeBufferPointerIfPresent<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .some(let array): array.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: body(nil)
        }
    }
}
