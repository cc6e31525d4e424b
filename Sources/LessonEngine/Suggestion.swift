/// "Did you mean" suggestions for misspelt names.
enum Suggestion {
    /// The candidate closest to `name` by edit distance, when it is close enough to be a likely typo.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let lowered = name.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if best.map({ distance < $0.1 }) ?? true { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        let allowed = max(1, min(name.count, candidate.count) / 3)
        return distance <= allowed ? candidate : nil
    }

    /// `problem` followed by the closest match, or by the list of candidates when none is close.
    static func unknown(_ problem: String, _ name: String, among candidates: [String], listing: Bool = true) -> String {
        if let match = closest(to: name, among: candidates) {
            return "\(problem); did you mean `\(match)`?"
        }
        guard listing, !candidates.isEmpty else { return problem + "." }
        let sorted = candidates.sorted()
        let shown = sorted.prefix(24).joined(separator: ", ")
        return "\(problem); known: \(shown)\(sorted.count > 24 ? ", …" : "")."
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
    /// (optimal string alignment), with the work bounded for very long inputs.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.prefix(64)), y = Array(b.prefix(64))
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var table = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { table[i][0] = i }
        for j in 0...y.count { table[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var best = min(table[i - 1][j - 1] + cost, table[i - 1][j] + 1, table[i][j - 1] + 1)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[x.count][y.count]
    }
}
