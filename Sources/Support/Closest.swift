/// The "did you mean …?" rule every command and checker uses: the candidate closest to `name`
/// when it is close enough to be a likely typo or a shortened name, else nil.
///
/// Names compare by `key` (lowercased by default). A candidate scores its edit distance from
/// `name` (`EditDistance.between`); one that starts with `name`, or that `name` starts with, scores
/// 0 and one that contains `name` scores at most 1, when the shorter of the two has at least three
/// characters. The best score wins (then the smaller edit distance, then the first candidate) if it
/// is at most a third of the shorter name's length, and at least 1.
public func closest(_ name: String, in candidates: some Sequence<String>,
                    key: (String) -> String = { $0.lowercased() }) -> String? {
    let query = key(name)
    guard !query.isEmpty else { return nil }
    var best: (candidate: String, score: Int, distance: Int, length: Int)?
    for candidate in candidates {
        let target = key(candidate)
        guard !target.isEmpty else { continue }
        let distance = EditDistance.between(query, target)
        var score = distance
        if min(query.count, target.count) >= 3 {
            if target.hasPrefix(query) || query.hasPrefix(target) {
                score = 0
            } else if target.contains(query) {
                score = min(score, 1)
            }
        }
        if best.map({ (score, distance) < ($0.score, $0.distance) }) ?? true {
            best = (candidate, score, distance, target.count)
        }
    }
    guard let best, best.score <= max(1, min(query.count, best.length) / 3) else { return nil }
    return best.candidate
}
