import Foundation
import Testing
@testable import AttentionCore

/// A tile's operands filled from a seeded generator, with room for its state.
private final class TileData {
    let m: Int, n: Int, dq: Int, dr: Int, dv: Int
    var q: [Float], k: [Float], v: [Float], qr: [Float], kr: [Float]
    var allowed: [Int32]?, keep: [Float]?

    init(m: Int, n: Int, dq: Int, dr: Int = 0, dv: Int, seed: UInt64, causal: Bool = false, padded: Bool = false) {
        (self.m, self.n, self.dq, self.dr, self.dv) = (m, n, dq, dr, dv)
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 500_000
        }
        q = (0..<(m * dq)).map { _ in next() }
        k = (0..<(n * dq)).map { _ in next() }
        v = (0..<(n * dv)).map { _ in next() }
        qr = (0..<(m * dr)).map { _ in next() }
        kr = (0..<(n * dr)).map { _ in next() }
        // row a may see keys 0 ... n − m + a (the last m of n positions), at least none
        allowed = causal ? (0..<m).map { Int32(max(0, n - m + $0 + 1)) } : nil
        keep = padded ? (0..<n).map { $0 % 3 == 1 ? 0 : 1 } : nil
    }

    /// softmax(scale·(q·kᵀ + qr·krᵀ), masked)·v in Double, [m, dv]; a row with no allowed key is zeros.
    func reference(scale: Float) -> [Double] {
        var out = [Double](repeating: 0, count: m * dv)
        for a in 0..<m {
            var scores = [Double](repeating: -.infinity, count: n)
            for s in 0..<n where (allowed.map { s < Int($0[a]) } ?? true) && (keep.map { $0[s] != 0 } ?? true) {
                var x = 0.0
                for c in 0..<dq { x += Double(q[a * dq + c]) * Double(k[s * dq + c]) }
                for c in 0..<dr { x += Double(qr[a * dr + c]) * Double(kr[s * dr + c]) }
                scores[s] = x * Double(scale)
            }
            guard let top = scores.max(), top > -.infinity else { continue }
            let e = scores.map { $0 == -.infinity ? 0 : Foundation.exp($0 - top) }
            let total = e.reduce(0, +)
            for s in 0..<n where e[s] > 0 {
                for c in 0..<dv { out[a * dv + c] += e[s] / total * Double(v[s * dv + c]) }
            }
        }
        return out
    }

    /// Runs the tile at `level` in `parts` key ranges (split-K, merged by log-sum-exp); returns [m, dv].
    func run(level: Kernels.Level, scale: Float, parts: Int = 1) -> [Float] {
        var out = [Float](repeating: .nan, count: m * dv)
        q.withUnsafeBufferPointer { q in k.withUnsafeBufferPointer { k in v.withUnsafeBufferPointer { v in
        qr.withUnsafeBufferPointer { qr in kr.withUnsafeBufferPointer { kr in out.withUnsafeMutableBufferPointer { o in
            if allowed != nil || keep != nil {
                // masks: one tile over all keys, then normalise
                let acc = UnsafeMutablePointer<Float>.allocate(capacity: m * dv)
                let mx = UnsafeMutablePointer<Float>.allocate(capacity: m), sm = UnsafeMutablePointer<Float>.allocate(capacity: m)
                defer { acc.deallocate(); mx.deallocate(); sm.deallocate() }
                Kernels.reset(m: m, dv: dv, acc: acc, ldacc: dv, rowMax: mx, rowSum: sm)
                (allowed ?? []).withUnsafeBufferPointer { al in (keep ?? []).withUnsafeBufferPointer { kp in
                    var tile = AttentionTile(m: m, n: n, dq: dq, dv: dv, scale: scale, q: q.baseAddress!, ldq: dq,
                                             k: k.baseAddress!, ldk: dq, v: v.baseAddress!, ldv: dv,
                                             acc: acc, ldacc: dv, rowMax: mx, rowSum: sm)
                    tile.allowed = allowed == nil ? nil : al.baseAddress
                    tile.keep = keep == nil ? nil : kp.baseAddress
                    if dr > 0 { tile.rope = (q: qr.baseAddress!, ldq: dr, k: kr.baseAddress!, ldk: dr, width: dr) }
                    Kernels.attend(tile, level: level)
                } }
                Kernels.merge(parts: 1, m: m, dv: dv, acc: acc, partStride: m * dv, rowMax: mx, rowSum: sm, out: o.baseAddress!, ldout: dv)
                return
            }
            var group = SplitDecode.Group(q: q.baseAddress!, ldq: dq, k: k.baseAddress!, ldk: dq, v: v.baseAddress!, ldv: dv,
                                          out: o.baseAddress!, ldout: dv)
            if dr > 0 { group.rope = (q: qr.baseAddress!, ldq: dr, k: kr.baseAddress!, ldk: dr, width: dr) }
            var split = SplitDecode(m: m, dq: dq, dv: dv, keys: n, scale: scale)
            split.level = level
            split.run([group], parts: parts)
        } } } } } }
        return out
    }
}

/// Largest difference relative to the largest magnitude of the reference.
private func relative(_ a: [Float], _ b: [Float]) -> Double {
    let scale = max(b.map { abs(Double($0)) }.max() ?? 0, 1e-30)
    return zip(a, b).map { abs(Double($0) - Double($1)) }.max().map { $0 / scale } ?? 0
}

private func relative(_ a: [Float], _ b: [Double]) -> Double {
    relative(a, b.map { Float($0) })
}

@Suite("Kernels")
struct KernelsTests {
    /// (m rows, n keys, d_q, d_r, d_v): odd widths (not a multiple of any vector width), one key,
    /// few rows (the narrow kernel) and many (the wide kernel), one block and several, MLA's rotary part.
    static let shapes: [(Int, Int, Int, Int, Int)] = [
        (1, 1, 8, 0, 8), (1, 300, 128, 0, 128), (4, 257, 64, 0, 64), (3, 17, 7, 0, 7), (5, 129, 33, 0, 19),
        (8, 40, 16, 0, 16), (16, 1, 12, 0, 12), (17, 200, 9, 3, 11), (32, 385, 128, 0, 128), (33, 70, 64, 6, 64),
        (32, 130, 40, 8, 40),
    ]

    @Test("The machine runs the baseline level and names its best one")
    func levels() {
        #expect(Kernels.supportedLevels.first == 0)
        #expect(Kernels.supportedLevels.contains(Kernels.best))
        #expect(["baseline", "avx2+fma", "avx512f"].contains(Kernels.name(Kernels.best)))
    }

    @Test("The kernel's exp equals exp within 1e-7 relative, and is 0 below −87")
    func exponent() {
        for x in stride(from: Float(-86), through: 0, by: 0.37) {
            #expect(abs(Double(Kernels.exp(x)) - Foundation.exp(Double(x))) <= 2e-7 * Foundation.exp(Double(x)))
        }
        #expect(Kernels.exp(-88) == 0)
        #expect(Kernels.exp(-.infinity) == 0)
    }

    @Test("Every level this CPU runs equals the baseline within 1e-5 relative, and the baseline equals a Double softmax",
          arguments: Array(0..<shapes.count))
    func levelsAgree(index: Int) {
        let (m, n, dq, dr, dv) = KernelsTests.shapes[index]
        let data = TileData(m: m, n: n, dq: dq, dr: dr, dv: dv, seed: UInt64(index + 1))
        let scale = 1 / Float(dq + dr).squareRoot()
        let baseline = data.run(level: 0, scale: scale)
        #expect(relative(baseline, data.reference(scale: scale)) <= 1e-5, "baseline \(KernelsTests.shapes[index])")
        for level in Kernels.supportedLevels.dropFirst() {
            #expect(relative(data.run(level: level, scale: scale), baseline) <= 1e-5, "\(Kernels.name(level)) \(KernelsTests.shapes[index])")
        }
    }

    @Test("Splitting the keys into uneven parts and merging by log-sum-exp gives the one-part result",
          arguments: [(4, 10, 3), (32, 385, 2), (32, 385, 7), (1, 5, 5), (17, 1000, 4), (3, 2, 2)])
    func splitMergeAgrees(m: Int, n: Int, parts: Int) {
        let data = TileData(m: m, n: n, dq: 20, dr: 0, dv: 13, seed: UInt64(n))
        let whole = data.run(level: 0, scale: 0.3)
        for level in Kernels.supportedLevels {
            #expect(relative(data.run(level: level, scale: 0.3, parts: parts), whole) <= 1e-5, "\(Kernels.name(level)) parts \(parts)")
        }
        #expect(relative(whole, data.reference(scale: 0.3)) <= 1e-5)
    }

    @Test("Causal prefixes and padded keys are masked alike at every level; a row with no allowed key is zeros",
          arguments: [(5, 9, false), (20, 20, false), (40, 300, false), (3, 7, true), (33, 140, true)])
    func masks(m: Int, n: Int, padded: Bool) {
        let data = TileData(m: m, n: n, dq: 24, dr: 0, dv: 10, seed: UInt64(m * n), causal: !padded, padded: padded)
        if !padded { data.allowed![0] = 0 }  // the first row sees nothing
        let baseline = data.run(level: 0, scale: 0.2)
        #expect(relative(baseline, data.reference(scale: 0.2)) <= 1e-5)
        if !padded { #expect(baseline[0..<10].allSatisfy { $0 == 0 }) }
        for level in Kernels.supportedLevels.dropFirst() {
            #expect(relative(data.run(level: level, scale: 0.2), baseline) <= 1e-5, "\(Kernels.name(level))")
        }
    }
}
