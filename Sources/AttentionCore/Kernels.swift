// The one file that calls the C kernels (CAttentionKernels). Everything else hands `AttentionTile`
// values to `Kernels.attend` and never sees a C type.
import CAttentionKernels

/// One tile of attention with an online softmax: `m` query rows against `n` cached keys, the state
/// (running maximum, running sum, unnormalised weighted sum of values) read and updated.
///
/// scores[a, s] = scale · (q[a]·k[s] + q2[a]·k2[s])     [m, n]  (the second part: MLA's rotary key)
/// masked when s ≥ allowed[a] (a causal prefix) or keep[s] == 0 (padding)
/// state: rowMax [m], rowSum [m], acc [m, dv] (row stride ldacc)
struct AttentionTile {
    var m: Int, n: Int, dq: Int, dv: Int, scale: Float
    var q: UnsafePointer<Float>, ldq: Int
    var k: UnsafePointer<Float>, ldk: Int
    var v: UnsafePointer<Float>, ldv: Int
    var rope: (q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int, width: Int)? = nil
    var allowed: UnsafePointer<Int32>? = nil
    var keep: UnsafePointer<Float>? = nil
    var acc: UnsafeMutablePointer<Float>, ldacc: Int
    var rowMax: UnsafeMutablePointer<Float>, rowSum: UnsafeMutablePointer<Float>
}

/// The CPU levels the kernels were compiled for and the one this machine runs.
enum Kernels {
    /// A CPU level: 0 baseline, 1 AVX2 + FMA, 2 AVX-512F.
    typealias Level = Int32

    /// Every level this CPU runs, baseline first.
    static var supportedLevels: [Level] {
        (0..<Level(MHL_LEVEL_COUNT)).filter { mhl_level_supported($0) != 0 }
    }

    /// The level `attend` uses by default.
    static var best: Level { mhl_best_level() }

    /// The name of a level ("baseline", "avx2+fma", "avx512f").
    static func name(_ level: Level) -> String { String(cString: mhl_level_name(level)) }

    /// Floats of scratch one tile of these sizes needs (Int.max / 8 for sizes no tile can have, so
    /// a memory estimate that adds it overflows and says so instead of trapping).
    static func scratchCount(m: Int, dq: Int, ropeWidth: Int, dv: Int) -> Int {
        guard [m, dq, ropeWidth, dv].allSatisfy({ $0 >= 0 && $0 <= AttentionConfig.maxDimension }) else { return Int.max / 8 }
        return Int(mhl_scratch_floats(Int32(m), Int32(dq), Int32(ropeWidth), Int32(dv)))
    }

    /// Runs one tile at `level` (default the best this CPU runs), allocating its scratch.
    static func attend(_ t: AttentionTile, level: Level = -1) {
        let count = scratchCount(m: t.m, dq: t.dq, ropeWidth: t.rope?.width ?? 0, dv: t.dv)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { scratch.deallocate() }
        var tile = mhl_tile(
            m: Int32(t.m), dq: Int32(t.dq), dq2: Int32(t.rope?.width ?? 0), dv: Int32(t.dv), n: Int32(t.n), scale: t.scale,
            q: t.q, ldq: t.ldq, q2: t.rope?.q, ldq2: t.rope?.ldq ?? 0, k: t.k, ldk: t.ldk, k2: t.rope?.k, ldk2: t.rope?.ldk ?? 0,
            v: t.v, ldv: t.ldv, allowed: t.allowed, keep: t.keep, acc: t.acc, ldacc: t.ldacc,
            row_max: t.rowMax, row_sum: t.rowSum)
        mhl_attend(level, &tile, scratch)
    }

    /// Sets a state to empty: rowMax = −∞, rowSum = 0, acc = 0.
    static func reset(m: Int, dv: Int, acc: UnsafeMutablePointer<Float>, ldacc: Int,
                      rowMax: UnsafeMutablePointer<Float>, rowSum: UnsafeMutablePointer<Float>) {
        mhl_state_reset(Int32(m), Int32(dv), acc, ldacc, rowMax, rowSum)
    }

    /// Merges `parts` states over disjoint key ranges by log-sum-exp and writes the normalised rows
    /// `[m, dv]` into `out` (row stride `ldout`). Part p: acc + p·partStride `[m, dv]`, rowMax/rowSum + p·m.
    static func merge(parts: Int, m: Int, dv: Int, acc: UnsafePointer<Float>, partStride: Int,
                      rowMax: UnsafePointer<Float>, rowSum: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, ldout: Int) {
        mhl_merge(Int32(parts), Int32(m), Int32(dv), acc, partStride, rowMax, rowSum, out, ldout)
    }

    /// The kernels' scalar exp (for tests).
    static func exp(_ x: Float) -> Float { mhl_exp(x) }
}

/// Which version of the C kernels this process runs, for benchmark printouts.
public enum KernelInfo {
    /// The CPU level the kernels run at here ("avx512f", "avx2+fma" or "baseline").
    public static var levelName: String { Kernels.name(Kernels.best) }
}
