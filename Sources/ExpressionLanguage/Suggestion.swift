import Support

/// "Did you mean" suggestions for misspelt names.
enum Suggestion {
    /// `problem` followed by the closest match, or by the list of candidates when none is close.
    static func unknown(_ problem: String, _ name: String, among candidates: [String], listing: Bool = true) -> String {
        if let match = closest(name, in: candidates) {
            return "\(problem); did you mean `\(match)`?"
        }
        guard listing, !candidates.isEmpty else { return problem + "." }
        let sorted = candidates.sorted()
        let shown = sorted.prefix(24).joined(separator: ", ")
        return "\(problem); known: \(shown)\(sorted.count > 24 ? ", …" : "")."
    }
}
