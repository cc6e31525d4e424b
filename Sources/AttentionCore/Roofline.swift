import Foundation

/// The machine's compute rate, measured as sgemm: `C[n, n] = A[n, n]·B[n, n]` in fp32 with the rows
/// split over the core's workers (BLAS single-threaded), `2·n³` floating-point operations a pass.
public enum ComputeRate {
    /// One measurement: every pass timed; the median is the figure used.
    public struct Measurement: Sendable, Equatable {
        /// The matrices' side.
        public let size: Int
        /// Floating-point operations of one pass (2·n³).
        public var flopsPerPass: Int { 2 * size * size * size }
        /// Seconds of every pass, fastest first.
        public let passSeconds: [Double]
        /// Passes timed.
        public var passes: Int { passSeconds.count }
        /// Floating-point operations per second of the median pass.
        public var flopsPerSecond: Double { Double(flopsPerPass) / Roofline.median(passSeconds) }
        /// GFLOP/s (10⁹ operations per second), median.
        public var gigaflopsPerSecond: Double { flopsPerSecond / 1e9 }
        /// (fastest rate − slowest rate) / median rate over the passes.
        public var spread: Double { Roofline.spread(passSeconds) }

        public init(size: Int, passSeconds: [Double]) {
            self.size = size
            self.passSeconds = passSeconds.sorted()
        }
    }

    /// Default side: 1,024 (2.1 GFLOP a pass).
    public static let defaultSize = 1024

    /// Times `passes` sgemm passes of side `size` (after one untimed pass).
    public static func sgemm(size: Int = defaultSize, passes: Int = 7) -> Measurement {
        let n = max(size, 16)
        let a = Tensor.seededWeight(fanIn: n, fanOut: n, seed: 1, name: "sgemm_a")
        let b = Tensor.seededWeight(fanIn: n, fanOut: n, seed: 1, name: "sgemm_b")
        let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        defer { c.deallocate() }
        var times: [Double] = []
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                for pass in 0...max(passes, 1) {
                    let started = DispatchTime.now().uptimeNanoseconds
                    Parallel.gemmRows(m: n, n: n, k: n, pa.baseAddress!, lda: n, pb.baseAddress!, ldb: n, c, ldc: n)
                    if pass > 0 { times.append(max(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, 1e-9)) }
                }
            }
        }
        return Measurement(size: n, passSeconds: times)
    }
}

/// Whether a step's time is set by the bytes it reads or by the arithmetic it does.
public enum Regime: String, Sendable, Equatable, Codable {
    /// Fewer operations per byte than the machine's balance: memory bandwidth sets the time.
    case memory = "memory-bound"
    /// More operations per byte than the machine's balance: the compute rate sets the time.
    case compute = "compute-bound"
}

/// The roofline of this machine (Williams, Waterman and Patterson 2009): a step that reads `bytes`
/// and does `flops` cannot take less than `max(bytes / bandwidth, flops / compute rate)`, with the
/// bandwidth from the triad and the compute rate from sgemm, both measured in the same run. The
/// machine's balance `compute rate / bandwidth` (operations per byte) is where the two limits meet.
public struct Roofline: Sendable, Equatable {
    /// The triad measured in this run.
    public let bandwidth: MemoryBandwidth.Measurement
    /// The sgemm rate measured in this run.
    public let compute: ComputeRate.Measurement

    /// A spread above this (20 %) means the machine's load changed while the limits were measured:
    /// shares of such a roofline are not reported.
    public static let steadySpread = 0.20

    public init(bandwidth: MemoryBandwidth.Measurement, compute: ComputeRate.Measurement) {
        self.bandwidth = bandwidth
        self.compute = compute
    }

    /// Measures both limits: the triad over `triadCount` floats per array, then sgemm of side `gemmSize`.
    public static func measure(triadCount: Int = MemoryBandwidth.defaultCount, gemmSize: Int = ComputeRate.defaultSize,
                               passes: Int = 7) -> Roofline {
        let bandwidth = MemoryBandwidth.triad(count: triadCount, passes: passes)
        return Roofline(bandwidth: bandwidth, compute: ComputeRate.sgemm(size: gemmSize, passes: passes))
    }

    /// Operations per byte at which the two limits meet.
    public var balance: Double { compute.flopsPerSecond / bandwidth.bytesPerSecond }

    /// Whether both measurements stayed within `steadySpread`.
    public var isSteady: Bool { bandwidth.spread <= Roofline.steadySpread && compute.spread <= Roofline.steadySpread }

    /// The regime of a step reading `bytes` and doing `flops`.
    public func regime(bytes: Int, flops: Int) -> Regime {
        Double(flops) / Double(max(bytes, 1)) > balance ? .compute : .memory
    }

    /// The least time a step reading `bytes` and doing `flops` can take on this machine.
    public func seconds(bytes: Int, flops: Int) -> Double {
        max(Double(bytes) / bandwidth.bytesPerSecond, Double(flops) / compute.flopsPerSecond)
    }

    /// The median of `values` (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .infinity }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// (fastest rate − slowest rate) / median rate, for pass times `seconds`.
    static func spread(_ seconds: [Double]) -> Double {
        guard let fast = seconds.min(), let slow = seconds.max(), fast > 0 else { return 0 }
        let median = Roofline.median(seconds)
        return (median / fast - median / slow)
    }
}

extension DecodeStepMeasurement {
    /// Floating-point operations per byte read.
    public var opsPerByte: Double { Double(flops) / Double(max(bytesRead, 1)) }

    /// Memory- or compute-bound on `roofline`.
    public func regime(on roofline: Roofline) -> Regime { roofline.regime(bytes: bytesRead, flops: flops) }

    /// The least time this step can take on `roofline`.
    public func rooflineSeconds(on roofline: Roofline) -> Double { roofline.seconds(bytes: bytesRead, flops: flops) }

    /// Roofline time / measured time: 1 at the limit.
    public func shareOfRoofline(on roofline: Roofline) -> Double { rooflineSeconds(on: roofline) / seconds }
}
