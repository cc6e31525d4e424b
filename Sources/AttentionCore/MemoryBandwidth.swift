import Foundation

/// The machine's memory bandwidth, measured the way STREAM's triad measures it (McCalpin 1995):
/// `a[i] = b[i] + s·c[i]` over three float arrays much larger than the last-level cache, split over
/// the core's worker threads; each pass moves `3 × count × 4` bytes (two reads, one write).
public enum MemoryBandwidth {
    /// One measurement: every pass timed; the median pass is the figure used, the spread says how
    /// steady the machine was while it ran.
    public struct Measurement: Sendable, Equatable {
        /// Bytes one pass moves: three arrays of `count` floats.
        public let bytesPerPass: Int
        /// Seconds of every pass, fastest first.
        public let passSeconds: [Double]
        /// Passes timed.
        public var passes: Int { passSeconds.count }
        /// Seconds of the fastest pass.
        public var bestSeconds: Double { passSeconds.first ?? .infinity }
        /// Seconds of the median pass.
        public var medianSeconds: Double { Roofline.median(passSeconds) }
        /// Bytes per second of the median pass: the figure the lab divides by.
        public var bytesPerSecond: Double { Double(bytesPerPass) / medianSeconds }
        /// Bytes per second of the fastest pass (what STREAM itself reports).
        public var bestBytesPerSecond: Double { Double(bytesPerPass) / bestSeconds }
        /// Gigabytes (10⁹ bytes) per second, median.
        public var gigabytesPerSecond: Double { bytesPerSecond / 1e9 }
        /// (fastest rate − slowest rate) / median rate over the passes.
        public var spread: Double { Roofline.spread(passSeconds) }

        public init(bytesPerPass: Int, passSeconds: [Double]) {
            self.bytesPerPass = bytesPerPass
            self.passSeconds = passSeconds.sorted()
        }
    }

    /// Default array size: 32 Mi floats (128 MiB) each, 384 MiB in all, far beyond any last-level cache.
    public static let defaultCount = 32 << 20

    /// Runs the triad `passes` times over arrays of `count` floats (after one untimed pass that touches
    /// every page) and returns every pass's time.
    public static func triad(count: Int = defaultCount, passes: Int = 7) -> Measurement {
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
        var times: [Double] = []
        for _ in 0..<max(passes, 1) {
            let started = DispatchTime.now().uptimeNanoseconds
            _ = Parallel.sum(blocks, parallel: true) { block in
                let start = block * n / blocks, end = (block + 1) * n / blocks
                triadKernel(a + start, b + start, c + start, count: end - start, scalar: 3)
                return 0
            }
            times.append(max(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, 1e-9))
        }
        return Measurement(bytesPerPass: 3 * n * MemoryLayout<Float>.size, passSeconds: times)
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
