// The one file that calls BLAS. Everything else passes buffers to `gemm` and never sees C types.
#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// Which operand of `gemm` to transpose.
enum Transpose { case none, transposed }

/// C = alpha · op(A) · op(B) + beta · C, row-major, through `cblas_sgemm`.
///
/// `m × k` is op(A), `k × n` is op(B), `m × n` is C; `lda`, `ldb`, `ldc` are row strides, so a
/// caller can address one head's column slice of a wider matrix without copying it.
@inline(__always) @discardableResult
func gemm(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) -> Int {
    if m == 0 || n == 0 { return 0 }
    BLASThreads.configure()
    cblas_sgemm(
        CblasRowMajor,
        transA == .none ? CblasNoTrans : CblasTrans,
        transB == .none ? CblasNoTrans : CblasTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    return m * n * k
}

/// How many threads BLAS itself uses. The core sets this to 1 on first use and parallelises its
/// phases itself (`Parallel`); a caller may raise it to time BLAS's own multithreading (the benchmark's
/// plain-sgemm baseline does), then set it back.
public enum BLASThreads {
    private static let once: Void = {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        // Setting the count wakes OpenBLAS's worker pool, whose idle threads then spin and take CPU
        // from the core's own workers; shutting the pool down stops them (it restarts on demand).
        _ = blas_thread_shutdown_()
        #endif
    }()

    /// Makes BLAS single-threaded the first time it is called; later calls do nothing. Every product
    /// goes through here first, so no BLAS call can race the one-time shutdown of OpenBLAS's pool.
    static func configure() { _ = once }

    /// BLAS's own thread count (always 1 for Accelerate, which manages threads itself).
    public static var count: Int {
        get {
            #if canImport(Accelerate)
            return 1
            #else
            return Int(openblas_get_num_threads())
            #endif
        }
        set {
            configure()
            #if !canImport(Accelerate)
            openblas_set_num_threads(Int32(max(1, newValue)))
            #endif
        }
    }
}

/// The BLAS the core links against, for benchmark printouts (e.g. `OpenBLAS 0.3.21 … Haswell`).
public enum BLASInfo {
    /// A one-line description of the BLAS library and, for OpenBLAS, its kernel and thread count.
    public static var description: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        let config = String(cString: openblas_get_config())
        let core = String(cString: openblas_get_corename())
        return "\(config) core=\(core)"
        #endif
    }
}

/// Matrix product of two rank-2 tensors: `[m, k] · [k, n] -> [m, n]`.
public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank == 2, b.rank == 2, a.shape[1] == b.shape[0] else {
        throw AttentionError("matmul needs [m, k] · [k, n]; got \(a.shape) · \(b.shape).")
    }
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    var out = [Float](repeating: 0, count: m * n)
    if m == 0 || n == 0 || k == 0 { return Tensor(unchecked: [m, n], out) }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { pc in
                _ = Parallel.gemmRows(m: m, n: n, k: k, pa.baseAddress!, lda: k, pb.baseAddress!, ldb: n, pc.baseAddress!, ldc: n)
            }
        }
    }
    return Tensor(unchecked: [m, n], out)
}

/// y = alpha · op(A) · x + beta · y through `cblas_sgemv`, A row-major `[m, n]` with row stride `lda`
/// (op(A) = A gives `m` outputs, Aᵀ gives `n`). Returns the multiply-adds issued. One decoded
/// token's query against a cache is a matrix-vector product: `sgemv` streams the cache once, where
/// `sgemm` with one row would first pack it.
@inline(__always) @discardableResult
func gemv(_ trans: Transpose, m: Int, n: Int, alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
          _ x: UnsafePointer<Float>, beta: Float = 0, _ y: UnsafeMutablePointer<Float>) -> Int {
    if m == 0 || n == 0 { return 0 }
    BLASThreads.configure()
    cblas_sgemv(CblasRowMajor, trans == .none ? CblasNoTrans : CblasTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                x, 1, beta, y, 1)
    return m * n
}
