import Foundation

/// SplitMix64, counter-based: value `i` of stream `s` is `mix(s + (i + 1) · γ)`, so any slice of a
/// stream can be computed on its own (and in parallel) and the same seed gives the same bits on
/// every machine. Uses only integer arithmetic and exact float scaling, never the system random.
public struct SplitMix64: Sendable {
    /// The golden-ratio increment of SplitMix64.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The current state.
    public private(set) var state: UInt64

    /// Creates a generator starting at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= SplitMix64.gamma
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed of the named stream derived from `seed` (FNV-1a of the name, then mixed).
    public static func stream(_ seed: UInt64, _ name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return mix(seed ^ mix(hash))
    }
}

extension Tensor {
    /// A tensor of uniform values in [-bound, bound), drawn from the SplitMix64 stream `stream`.
    ///
    /// Element `i` uses the top 24 bits of the stream's `i`-th output, `u = bits · 2⁻²⁴` in [0, 1),
    /// and becomes `(2u − 1) · bound`: exact float arithmetic, identical on every machine. Large
    /// tensors are filled by several threads, each computing its own slice of the stream.
    public static func uniform(shape: [Int], bound: Float, stream: UInt64) -> Tensor {
        let count = shape.reduce(1, *)
        let scale = 2 * bound / Float(1 << 24)
        // every element is written below, so the storage is not zeroed first
        let storage = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = count
            guard let base = buffer.baseAddress else { return }
            let chunk = 1 << 20
            let chunks = (count + chunk - 1) / chunk
            // each chunk writes its own range of the storage
            let shared = UncheckedSendable(base)
            let fill: @Sendable (Int) -> Void = { c in
                let start = c * chunk, end = min(count, start + chunk)
                fillUniform(shared.value + start, count: end - start, state: stream &+ UInt64(start) &* SplitMix64.gamma,
                            scale: scale, bound: bound)
            }
            if chunks <= 1 { fill(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: fill) }
        }
        return Tensor(unchecked: shape, storage)
    }

    /// A seeded weight matrix `[fanIn, fanOut]`, uniform in ±1/√fanIn (the usual linear-layer scale).
    public static func seededWeight(fanIn: Int, fanOut: Int, seed: UInt64, name: String) -> Tensor {
        uniform(shape: [fanIn, fanOut], bound: 1 / Float(max(fanIn, 1)).squareRoot(), stream: SplitMix64.stream(seed, name))
    }

    /// A seeded input `[tokens, width]`, uniform in ±√3 (mean 0, variance 1), from stream `name`.
    public static func seededInput(tokens: Int, width: Int, seed: UInt64, name: String = "input") -> Tensor {
        uniform(shape: [tokens, width], bound: Float(3).squareRoot(), stream: SplitMix64.stream(seed, name))
    }
}

/// Writes `count` uniform values `bits · scale − bound`, continuing SplitMix64 from `state`.
func fillUniform(_ out: UnsafeMutablePointer<Float>, count: Int, state start: UInt64, scale: Float, bound: Float) {
    // a plain while loop over a raw pointer: fast even in unoptimised (debug) builds
    var state = start
    var p = out
    let end = out + count
    while p < end {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z &>> 31
        p.pointee = Float(Int(Int64(bitPattern: z &>> 40))) * scale - bound  // Int: the non-generic conversion
        p += 1
    }
}
