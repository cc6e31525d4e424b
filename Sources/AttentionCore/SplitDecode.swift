/// One decoded token attending over a cache, split over the cached sequence (split-K, as
/// flash-decoding does; Dao et al. 2023, "Flash-Decoding for long-context inference"):
///
/// unit (group, part): the group's m query rows against keys part·S/P ..< (part+1)·S/P
///                     → state (max [m], sum [m], acc [m, dv]), each cached row read once for all m rows
/// merge:              out = Σ_p e^(max_p − M)·acc_p / Σ_p e^(max_p − M)·sum_p      [m, dv] per group
///
/// A group is the query heads that share one cached K/V head (GQA/MQA: g heads; MHA: 1; MLA: every
/// head against the one latent cache), so MQA and MLA, with a single group, still use every core.
struct SplitDecode {
    /// One group's operands: its `m` query rows and the cache they read, and where its rows go.
    struct Group {
        let q: UnsafePointer<Float>, ldq: Int
        let k: UnsafePointer<Float>, ldk: Int
        let v: UnsafePointer<Float>, ldv: Int
        var rope: (q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int, width: Int)? = nil
        let out: UnsafeMutablePointer<Float>, ldout: Int
    }

    let m: Int, dq: Int, dv: Int, keys: Int, scale: Float
    var level: Kernels.Level = Kernels.best

    /// Parts per group: enough units for every worker to take two, never below 64 keys a part.
    func parts(groups: Int, workers: Int = Parallel.workers) -> Int {
        let wanted = (2 * workers + groups - 1) / groups
        return max(1, min(wanted, keys / 64))
    }

    /// Runs every group, parts in parallel, and writes each group's normalised rows.
    func run(_ groups: [Group], parts forced: Int? = nil) {
        let p = max(1, min(forced ?? parts(groups: groups.count), keys))
        let units = groups.count * p
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: units * m * dv)
        let rowMax = UnsafeMutablePointer<Float>.allocate(capacity: units * m)
        let rowSum = UnsafeMutablePointer<Float>.allocate(capacity: units * m)
        defer { acc.deallocate(); rowMax.deallocate(); rowSum.deallocate() }
        let parallel = units > 1 && groups.count * m * keys * (dq + (groups.first?.rope?.width ?? 0) + dv) >= Parallel.minimumWork
        let (m, dq, dv, keys, scale, level) = (m, dq, dv, keys, scale, level)
        // each unit writes only its own slice of acc, rowMax and rowSum
        let shared = UncheckedSendable((acc, rowMax, rowSum))
        _ = Parallel.sum(units, parallel: parallel) { unit in
            let (acc, rowMax, rowSum) = shared.value
            let group = groups[unit / p], part = unit % p
            let s0 = part * keys / p, s1 = (part + 1) * keys / p
            let a = acc + unit * m * dv, mx = rowMax + unit * m, sm = rowSum + unit * m
            Kernels.reset(m: m, dv: dv, acc: a, ldacc: dv, rowMax: mx, rowSum: sm)
            if s1 <= s0 { return 0 }
            var tile = AttentionTile(m: m, n: s1 - s0, dq: dq, dv: dv, scale: scale,
                                     q: group.q, ldq: group.ldq, k: group.k + s0 * group.ldk, ldk: group.ldk,
                                     v: group.v + s0 * group.ldv, ldv: group.ldv, acc: a, ldacc: dv, rowMax: mx, rowSum: sm)
            if let rope = group.rope {
                tile.rope = (q: rope.q, ldq: rope.ldq, k: rope.k + s0 * rope.ldk, ldk: rope.ldk, width: rope.width)
            }
            Kernels.attend(tile, level: level)
            return 0
        }
        for (index, group) in groups.enumerated() {
            let first = index * p
            Kernels.merge(parts: p, m: m, dv: dv, acc: acc + first * m * dv, partStride: m * dv,
                          rowMax: rowMax + first * m, rowSum: rowSum + first * m, out: group.out, ldout: group.ldout)
        }
    }
}
