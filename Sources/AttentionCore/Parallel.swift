import Foundation

/// The core's own parallelism. BLAS is made single-threaded once (see `BLASThreads`), and the core
/// splits each phase of a forward pass into a few independent pieces (row blocks of a projection,
/// heads of the attention) run on GCD's worker threads: one synchronisation per phase instead of one
/// per BLAS call, and threads that block rather than spin while they wait.
public enum Parallel {
    /// Worker threads to split work over: `$MHALEARN_THREADS` when set to a positive number, else the
    /// active processor count; at most 16. Read once, on first use.
    static let workers: Int = {
        let requested = ProcessInfo.processInfo.environment["MHALEARN_THREADS"].flatMap { Int($0) }
        return max(1, min(requested.flatMap { $0 > 0 ? $0 : nil } ?? ProcessInfo.processInfo.activeProcessorCount, 16))
    }()

    /// The number of worker threads the core splits its work over.
    public static var threadCount: Int { workers }

    /// Below this many multiply-adds a phase runs on the calling thread.
    static let minimumWork = 1 << 20

    /// Runs `body(i)` for `i` in `0..<count` (in parallel when `parallel`), returning the sum of the results.
    static func sum(_ count: Int, parallel: Bool, _ body: (Int) -> Int) -> Int {
        pairSum(count, parallel: parallel) { (body($0), 0) }.0
    }

    /// Runs `body(i)` for `i` in `0..<count`, summing each half of the results. With `parallel`,
    /// `workers` threads take the next unfinished `i` one at a time, so a slow thread takes fewer.
    static func pairSum(_ count: Int, parallel: Bool, _ body: (Int) -> (Int, Int)) -> (Int, Int) {
        let results = UnsafeMutableBufferPointer<(Int, Int)>.allocate(capacity: max(count, 1))
        defer { results.deallocate() }
        results.initialize(repeating: (0, 0))
        let threads = min(workers, count)
        if threads > 1 && parallel {
            // `body` is called for distinct i on several threads (callers write disjoint rows or heads)
            // and each `results[i]` is written by the one worker that took i from the counter.
            withoutActuallyEscaping(body) { body in
                let shared = UncheckedSendable((body, results))
                let counter = WorkCounter()
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    let (body, results) = shared.value
                    while true {
                        let i = counter.take()
                        if i >= count { return }
                        results[i] = body(i)
                    }
                }
            }
        } else {
            for i in 0..<count { results[i] = body(i) }
        }
        return results.prefix(count).reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
    }

    /// C[m, n] = alpha·A[m, k]·B[k, n] + beta·C with the rows of A and C split over the workers.
    /// Returns the multiply-adds issued.
    @discardableResult
    static func gemmRows(m: Int, n: Int, k: Int, alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                         _ b: UnsafePointer<Float>, ldb: Int, beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int) -> Int {
        BLASThreads.configure()
        let big = m * n * k >= minimumWork && m >= 2 * workers && BLASThreads.count == 1
        let blocks = big ? workers : 1
        return sum(blocks, parallel: big) { block in
            let start = block * m / blocks, end = (block + 1) * m / blocks
            return gemm(.none, .none, m: end - start, n: n, k: k, alpha: alpha, a + start * lda, lda: lda,
                        b, ldb: ldb, beta: beta, c + start * ldc, ldc: ldc)
        }
    }
}

/// A value handed to GCD's worker threads without a compiler proof that sharing it is safe; every
/// use says why it is (disjoint writes, one writer per index).
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

/// The next index to work on, shared by worker threads (guarded by a lock).
public final class WorkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    /// Takes the next index: each index is returned exactly once.
    public init() {}

    public func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let index = next
        next += 1
        return index
    }
}
