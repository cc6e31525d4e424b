import AttentionCore
/// "Did you mean" suggestions for misspelt names.
enum Suggestion {
    /// The candidate closest to `name` by edit distance, when it is close enough to be a likely typo.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let lowered = name.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = EditDistance.between(lowered, candidate.lowercased())
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

}
