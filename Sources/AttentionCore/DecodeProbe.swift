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
    /// Layers whose caches the timed steps cycled through (as a model's layers are decoded in turn),
    /// so each step reads its cache from memory, not from a cache the previous step left warm.
    public let layers: Int
    /// Bytes of all the cycled layers' caches (and MLA's up-projections) together.
    public var footprintBytes: Int { layers * bytesRead }
}

/// Measures the attention part of one decode step (scores against the cache, softmax, weighted
/// sum, and for MLA the absorbed up-projections) with the same kernel `DecodeSession.decode` runs.
/// The projections of the new token are left out: they read the layer's weights, not the cache,
/// and do not grow with context.
public enum DecodeProbe {
    /// The last-level cache of this machine in bytes: the largest cache Linux lists for CPU 0 in
    /// /sys (sysconf's figure may be the whole package's), else sysconf or sysctl; 32 MiB when
    /// nothing says.
    public static let lastLevelCacheBytes: Int = {
        #if os(Linux)
        var largest = 0
        for index in 0..<8 {
            guard let text = try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cache/index\(index)/size", encoding: .utf8) else { continue }
            largest = max(largest, cacheSize(text) ?? 0)
        }
        if largest > 0 { return largest }
        let l3 = sysconf(Int32(_SC_LEVEL3_CACHE_SIZE))
        return l3 > 0 ? l3 : 32 << 20
        #else
        var size = 0, length = MemoryLayout<Int>.size
        if sysctlbyname("hw.l3cachesize", &size, &length, nil, 0) == 0, size > 0 { return size }
        if sysctlbyname("hw.l2cachesize", &size, &length, nil, 0) == 0, size > 0 { return size }
        return 32 << 20
        #endif
    }()

    /// Bytes of a cache size as /sys writes it ("32768K", "1M", "512").
    static func cacheSize(_ text: String) -> Int? {
        var digits = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        var scale = 1
        if digits.hasSuffix("K") { scale = 1 << 10; digits.removeLast() } else if digits.hasSuffix("M") { scale = 1 << 20; digits.removeLast() }
        return Int(digits).map { $0 * scale }
    }

    /// The footprint the timed caches cover by default: 8 × the last-level cache.
    public static var defaultFootprint: Int { 8 * lastLevelCacheBytes }

    /// Fills seeded caches of `context` tokens for `config` — as many layers as cover `footprint`
    /// bytes (at least one; no more than `memoryLimit` allows) — and times decode steps over them,
    /// one layer after the other, until `minimumSeconds` have passed (at least 3 steps, at most
    /// 1000). Throws before allocating when the configuration is invalid or one layer's cache would
    /// need more than `memoryLimit` bytes.
    public static func measure(config: AttentionConfig, context: Int, seed: UInt64 = 0, minimumSeconds: Double = 0.2,
                               memoryLimit: Int = AttentionConfig.memoryLimitBytes,
                               footprint: Int = DecodeProbe.defaultFootprint) throws -> DecodeStepMeasurement {
        try config.validate()
        guard context >= 1 else { throw AttentionError("The context must be at least 1 token; got \(context).") }
        try DecodeSession.checkCache(config: config, tokens: context, memoryLimit: memoryLimit)
        let h = config.heads, dk = config.headDim, r = config.kvLoraRank, dr = config.ropeDim
        let perToken = DecodeSession.cacheBytes(config: config, tokens: 1) ?? 0
        let weightBytes = config.isLatent ? 2 * r * h * dk * 4 : 0
        let layerBytes = max(1, perToken * context + weightBytes)
        let layers = max(1, min((footprint + layerBytes - 1) / layerBytes, memoryLimit / layerBytes, 256))
        let kernels = (0..<layers).map { layer -> DecodeKernel in
            var projections: [String: Linear] = [:]
            if config.isLatent {
                for name in ["W_UK", "W_UV"] {
                    projections[name] = Linear(unchecked: Tensor.seededWeight(fanIn: r, fanOut: h * dk, seed: seed &+ UInt64(layer), name: name), nil)
                }
            }
            let cache = KVCacheStorage(config: config, capacity: context)
            cache.fillSeeded(seed: seed &+ UInt64(layer))
            return DecodeKernel(config: config, weights: AttentionWeights(projections: projections), cache: cache)
        }
        let q = Tensor.seededInput(tokens: 1, width: h * dk, seed: seed, name: "q")
        let qRope = dr > 0 ? Tensor.seededInput(tokens: 1, width: h * dr, seed: seed, name: "q_rope") : nil
        let concat = Buffer(h * dk, zeroed: false)
        var times: [Double] = []
        q.storage.withUnsafeBufferPointer { qp in
            qRope.map { Array($0.storage) }.withUnsafeBufferPointerIfPresent { qrp in
                kernels[0].attend(q: qp.baseAddress!, qRope: qrp, rows: 1, keys: context, concat: concat.pointer)  // warm-up
                var total = 0.0
                while times.count < 1000 && (times.count < 3 || total < minimumSeconds) {
                    let kernel = kernels[(times.count + 1) % layers]
                    let started = DispatchTime.now().uptimeNanoseconds
                    kernel.attend(q: qp.baseAddress!, qRope: qrp, rows: 1, keys: context, concat: concat.pointer)
                    let seconds = max(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, 1e-9)
                    times.append(seconds)
                    total += seconds
                }
            }
        }
        let flops = config.isLatent
            ? 2 * (h * dk * r + h * context * (2 * r + dr) + h * r * dk)
            : 2 * (h * context * 2 * dk)
        return DecodeStepMeasurement(config: config, context: context, cacheBytesPerTokenPerLayer: perToken,
                                     bytesRead: perToken * context + weightBytes, seconds: Roofline.median(times),
                                     steps: times.count, flops: flops, layers: layers)
    }
}
