/// The pieces of an online softmax (Milakov and Gimelshein 2018; used by FlashAttention, Dao et al.
/// 2022, §3.1): a row's scores arrive one block of keys at a time, and the row keeps only its running
/// maximum `m` and running sum `l` of `exp(score − m)`; when a block raises the maximum, the sum and
/// the weighted sum of values so far are multiplied by `exp(m_old − m_new)`.
extension Softmax {
    /// The largest allowed entry of `row[0 ..< allowed]` (columns with `keep` 0 excluded), or −∞.
    @inline(__always)
    static func maximum(_ row: UnsafePointer<Float>, allowed n: Int, keep: UnsafePointer<Float>?) -> Float {
        var maxVector = Vector(repeating: -.infinity)
        var i = 0
        while i + Vector.scalarCount <= n {
            var x = load(row + i)
            if let keep { x = x.replacing(with: Vector(repeating: -.infinity), where: load(keep + i) .== Vector(repeating: 0)) }
            maxVector = maxVector.replacing(with: x, where: x .> maxVector)
            i += Vector.scalarCount
        }
        var result = maxVector.max()
        while i < n {
            if keep == nil || keep![i] != 0 { result = max(result, row[i]) }
            i += 1
        }
        return result
    }

    /// Replaces `row[0 ..< count]` by `exp(row − shift)` on allowed entries (the first `allowed`,
    /// with `keep` 1) and 0 elsewhere; returns their sum.
    @inline(__always)
    static func exponentiate(_ row: UnsafeMutablePointer<Float>, count: Int, allowed: Int, shift: Float,
                             keep: UnsafePointer<Float>?) -> Float {
        let n = min(max(allowed, 0), count)
        let shiftVector = Vector(repeating: shift)
        var sumVector = Vector(repeating: 0)
        var i = 0
        let masked = Vector(repeating: shift - 100)  // exp(−100) underflows to 0: a masked score never overflows
        while i + Vector.scalarCount <= n {
            var x = load(row + i)
            if let keep { x = x.replacing(with: masked, where: load(keep + i) .== Vector(repeating: 0)) }
            var e = exp(x - shiftVector)
            if let keep { e *= load(keep + i) }
            store(e, row + i)
            sumVector += e
            i += Vector.scalarCount
        }
        var sum = sumVector.sum()
        while i < n {
            var e = keep == nil || keep![i] != 0 ? scalarExp(row[i] - shift) : 0
            if let keep { e *= keep[i] }
            row[i] = e
            sum += e
            i += 1
        }
        if n < count { (row + n).update(repeating: 0, count: count - n) }
        return sum
    }
}

/// One (head, block of query rows) of attention computed over blocks of keys with an online softmax,
/// so only `rows × keyBlock` scores exist at a time however long the sequence is.
struct OnlineAttentionBlock {
    /// Keys per block: up to 2,048 keys are one block (one pass, as fast as a plain softmax);
    /// longer sequences are walked in blocks of 2,048.
    static let keyBlock = 2048

    /// Writes `softmax(mask(q·kᵀ·scale))·v` for `rows` query rows into `out` (row stride `ldo`).
    ///
    /// `q` `[rows, dk]` (stride `ldq`), plus for MLA `qRope` `[rows, dr]` against `kRope` `[S, dr]`;
    /// `k`, `v` `[S, dk]` (strides `ldk`, `ldv`); `allowed(a)` is the causal prefix of row `a`; `keep`
    /// the padding flags. Returns the multiply-adds issued (scores, weighted sums).
    static func compute(rows m: Int, keys S: Int, dk: Int, scale: Float,
                        q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
                        v: UnsafePointer<Float>, ldv: Int,
                        rope: (q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, dr: Int)?,
                        allowed: (Int) -> Int, keep: UnsafePointer<Float>?,
                        out: UnsafeMutablePointer<Float>, ldo: Int, keyBlock: Int = OnlineAttentionBlock.keyBlock) -> (Int, Int) {
        let block = max(1, min(keyBlock, S))
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: m * block)
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: m * dk)
        let runningMax = UnsafeMutablePointer<Float>.allocate(capacity: m)
        let runningSum = UnsafeMutablePointer<Float>.allocate(capacity: m)
        defer { scores.deallocate(); acc.deallocate(); runningMax.deallocate(); runningSum.deallocate() }
        acc.initialize(repeating: 0, count: m * dk)
        runningMax.initialize(repeating: -.infinity, count: m)
        runningSum.initialize(repeating: 0, count: m)
        // keys past the last row's causal prefix are never needed
        var lastKey = 0
        for a in 0..<m { lastKey = max(lastKey, min(S, allowed(a))) }
        var scoreMacs = 0, sumMacs = 0
        var s0 = 0
        while s0 < lastKey {
            let n = min(block, lastKey - s0)
            scoreMacs += gemm(.none, .transposed, m: m, n: n, k: dk, alpha: scale, q, lda: ldq, k + s0 * ldk, ldb: ldk, scores, ldc: n)
            if let rope {
                scoreMacs += gemm(.none, .transposed, m: m, n: n, k: rope.dr, alpha: scale, rope.q, lda: rope.ldq,
                                  rope.k + s0 * rope.dr, ldb: rope.dr, beta: 1, scores, ldc: n)
            }
            for a in 0..<m {
                let row = scores + a * n
                let rowAllowed = min(max(allowed(a) - s0, 0), n)
                let blockKeep = keep.map { $0 + s0 }
                let blockMax = rowAllowed > 0 ? Softmax.maximum(row, allowed: rowAllowed, keep: blockKeep) : -.infinity
                let newMax = max(runningMax[a], blockMax)
                if newMax == -.infinity {
                    row.update(repeating: 0, count: n)
                    continue
                }
                let correction = runningMax[a] == -.infinity ? 0 : Softmax.scalarExp(runningMax[a] - newMax)
                let sum = Softmax.exponentiate(row, count: n, allowed: rowAllowed, shift: newMax, keep: blockKeep)
                runningSum[a] = runningSum[a] * correction + sum
                if correction != 1 {
                    let accRow = acc + a * dk
                    for c in 0..<dk { accRow[c] *= correction }
                }
                runningMax[a] = newMax
            }
            sumMacs += gemm(.none, .none, m: m, n: dk, k: n, scores, lda: n, v + s0 * ldv, ldb: ldv, beta: 1, acc, ldc: dk)
            s0 += n
        }
        // divide by the sums; a row with no allowed key is all zeros by definition
        for a in 0..<m {
            let target = out + a * ldo, source = acc + a * dk
            let l = runningSum[a]
            if l > 0 {
                let inverse = 1 / l
                for c in 0..<dk { target[c] = source[c] * inverse }
            } else {
                target.update(repeating: 0, count: dk)
            }
        }
        return (scoreMacs, sumMacs)
    }
}
