import Foundation

/// The machine's memory bandwidth, measured the way STREAM's triad measures it (McCalpin 1995):
/// `a[i] = b[i] + s·c[i]` over three float arrays much larger than the last-level cache, split over
/// the core's worker threads; each pass moves `3 × count × 4` bytes (two reads, one write).
public enum MemoryBandwidth {
    /// One measurement: the best of several passes, as STREAM reports.
    public struct Measurement: Sendable, Equatable {
        /// Bytes one pass moves: three arrays of `count` floats.
        public let bytesPerPass: Int
        /// Seconds of the fastest pass.
        public let bestSeconds: Double
        /// Passes timed.
        public let passes: Int
        /// Bytes per second of the fastest pass.
        public var bytesPerSecond: Double { Double(bytesPerPass) / bestSeconds }
        /// Gigabytes (10⁹ bytes) per second.
        public var gigabytesPerSecond: Double { bytesPerSecond / 1e9 }
    }

    /// Default array size: 32 Mi floats (128 MiB) each, 384 MiB in all, far beyond any last-level cache.
    public static let defaultCount = 32 << 20

    /// Runs the triad `passes` times over arrays of `count` floats (after one untimed pass that touches
    /// every page) and returns the fastest pass.
    public static func triad(count: Int = defaultCount, passes: Int = 5) -> Measurement {
        let n = max(count, 1024)
        let a = UnsafeMutablePointer<Float>.allocate(capacity: n)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let blocks = Parallel.workers * 4
        _ = Parallel.sum(blocks, parallel: true) { block in
            let start = block * n / blocks, end = (block + 1) * n / blocks
            (a + start).initialize(repeating: 0, count: end - start)
            (b + start).initialize(repeating: 1, count: end - start)
            (c + start).initialize(repeating: 2, count: end - start)
            return 0
        }
        var best = Double.infinity
        for _ in 0..<max(passes, 1) {
            let started = DispatchTime.now().uptimeNanoseconds
            _ = Parallel.sum(blocks, parallel: true) { block in
                let start = block * n / blocks, end = (block + 1) * n / blocks
                triadKernel(a + start, b + start, c + start, count: end - start, scalar: 3)
                return 0
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            best = min(best, max(seconds, 1e-9))
        }
        return Measurement(bytesPerPass: 3 * n * MemoryLayout<Float>.size, bestSeconds: best, passes: max(passes, 1))
    }

    /// a = b + s·c over `count` floats, 8 lanes at a time.
    @inline(never)
    static func triadKernel(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
                            count: Int, scalar: Float) {
        typealias V = SIMD8<Float>
        let s = V(repeating: scalar)
        var i = 0
        let raw = (UnsafeMutableRawPointer(a), UnsafeRawPointer(b), UnsafeRawPointer(c))
        while i + 8 <= count {
            let offset = i * 4
            let x = raw.1.loadUnaligned(fromByteOffset: offset, as: V.self)
            let y = raw.2.loadUnaligned(fromByteOffset: offset, as: V.self)
            raw.0.storeBytes(of: x + s * y, toByteOffset: offset, as: V.self)
            i += 8
        }
        while i < count { a[i] = b[i] + scalar * c[i]; i += 1 }
    }
}
