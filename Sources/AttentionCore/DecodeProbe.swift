import Foundation

/// One decode step of one layer over a cache of `context` tokens, timed on this machine.
public struct DecodeStepMeasurement: Sendable, Equatable {
    /// The layer measured.
    public let config: AttentionConfig
    /// Cached tokens the step attends over.
    public let context: Int
    /// Cache bytes per token of this layer, fp32 (as measured).
    public let cacheBytesPerTokenPerLayer: Int
    /// Bytes the step must read per decoded token: the whole cache at `context`, plus for MLA the
    /// up-projections `W_UK` and `W_UV` it applies to the query and the weighted latent (fp32).
    public let bytesRead: Int
    /// Seconds of one step (the median of the timed steps).
    public let seconds: Double
    /// Steps timed.
    public let steps: Int
    /// Bytes read per second.
    public var achievedBytesPerSecond: Double { Double(bytesRead) / seconds }
    /// Floating-point operations of the step's matrix products (2 per multiply-add).
    public let flops: Int
}

/// Measures the attention part of one decode step (scores against the cache, softmax, weighted
/// sum, and for MLA the absorbed up-projections) with the same kernel `DecodeSession.decode` runs.
/// The projections of the new token are left out: they read the layer's weights, not the cache,
/// and do not grow with context.
public enum DecodeProbe {
    /// Fills a seeded cache of `context` tokens for `config` and times decode steps over it until
    /// `minimumSeconds` have passed (at least 3 steps, at most 1000). Throws before allocating when
    /// the configuration is invalid or the cache would need more than `memoryLimit` bytes.
    public static func measure(config: AttentionConfig, context: Int, seed: UInt64 = 0, minimumSeconds: Double = 0.2,
                               memoryLimit: Int = AttentionConfig.memoryLimitBytes) throws -> DecodeStepMeasurement {
        try config.validate()
        guard context >= 1 else { throw AttentionError("The context must be at least 1 token; got \(context).") }
        try DecodeSession.checkCache(config: config, tokens: context, memoryLimit: memoryLimit)
        let h = config.heads, dk = config.headDim, r = config.kvLoraRank, dr = config.ropeDim
        var projections: [String: Linear] = [:]
        if config.isLatent {
            for name in ["W_UK", "W_UV"] {
                projections[name] = Linear(unchecked: Tensor.seededWeight(fanIn: r, fanOut: h * dk, seed: seed, name: name), nil)
            }
        }
        let cache = KVCacheStorage(config: config, capacity: context)
        cache.fillSeeded(seed: seed)
        let kernel = DecodeKernel(config: config, weights: AttentionWeights(projections: projections), cache: cache)
        let q = Tensor.seededInput(tokens: 1, width: h * dk, seed: seed, name: "q")
        let qRope = dr > 0 ? Tensor.seededInput(tokens: 1, width: h * dr, seed: seed, name: "q_rope") : nil
        let concat = Buffer(h * dk, zeroed: false)
        var times: [Double] = []
        q.storage.withUnsafeBufferPointer { qp in
            qRope.map { Array($0.storage) }.withUnsafeBufferPointerIfPresent { qrp in
                kernel.attend(q: qp.baseAddress!, qRope: qrp, rows: 1, keys: context, concat: concat.pointer)  // warm-up
                var total = 0.0
                while times.count < 1000 && (times.count < 3 || total < minimumSeconds) {
                    let started = DispatchTime.now().uptimeNanoseconds
                    kernel.attend(q: qp.baseAddress!, qRope: qrp, rows: 1, keys: context, concat: concat.pointer)
                    let seconds = max(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, 1e-9)
                    times.append(seconds)
                    total += seconds
                }
            }
        }
        times.sort()
        let perToken = DecodeSession.cacheBytes(config: config, tokens: 1) ?? 0
        let weightBytes = config.isLatent ? 2 * r * h * dk * 4 : 0
        let flops = config.isLatent
            ? 2 * (h * dk * r + h * context * (2 * r + dr) + h * r * dk)
            : 2 * (h * context * 2 * dk)
        return DecodeStepMeasurement(config: config, context: context, cacheBytesPerTokenPerLayer: perToken,
                                     bytesRead: perToken * context + weightBytes, seconds: times[times.count / 2],
                                     steps: times.count, flops: flops)
    }
}
